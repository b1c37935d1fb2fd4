// Cloud function `catalog`: departments, doctors and schedules for patients. Thin entry; the work is in ./actions.
import { ensureCatalogIndexes } from '../shared/catalog/catalogIndexes';
import { createMain } from '../shared/createMain';
import { catalogActions } from './actions';

export const prepare = ensureCatalogIndexes;

export const main = createMain('catalog', catalogActions, { prepare });
