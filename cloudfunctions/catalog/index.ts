// Cloud function `catalog`: departments, doctors and schedules for patients, and the home page's notices and search. Thin entry; the work is in ./actions.
import type { Db } from 'mongodb';
import { ensureCatalogIndexes } from '../shared/catalog/catalogIndexes';
import { createMain } from '../shared/createMain';
import { ensureNoticeIndexes } from '../shared/notices/noticeRepository';
import { catalogActions } from './actions';

export async function prepare(db: Db): Promise<void> {
  await ensureCatalogIndexes(db);
  await ensureNoticeIndexes(db);
}

export const main = createMain('catalog', catalogActions, { prepare });
