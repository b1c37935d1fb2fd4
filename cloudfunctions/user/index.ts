// Cloud function `user`: login and preferences. Thin entry; the work is in ./actions.
import { createMain } from '../shared/createMain';
import { ensureUserIndexes } from '../shared/users/userRepository';
import { userActions } from './actions';

export const main = createMain('user', userActions, { prepare: ensureUserIndexes });
