/** Indexes are created once per index version, not on every cold start; the version moves with the indexes. */
import { createHash } from 'node:crypto';
import * as admin from '../../../cloudfunctions/admin';
import * as booking from '../../../cloudfunctions/booking';
import * as catalog from '../../../cloudfunctions/catalog';
import * as message from '../../../cloudfunctions/message';
import * as patient from '../../../cloudfunctions/patient';
import * as payment from '../../../cloudfunctions/payment';
import * as user from '../../../cloudfunctions/user';
import { ensureIndexesOnce, INDEXES_VERSION } from '../../../cloudfunctions/shared/dbIndexes';
import { openTestRuntime, type TestRuntime } from '../../support/runtime';

const AREAS = { user, patient, catalog, admin, booking, payment, message };

/**
 * Every index the functions create, as a fingerprint. When this test fails after an index change: bump
 * INDEXES_VERSION in cloudfunctions/shared/dbIndexes.ts (so deployed functions create the new index)
 * and record the new fingerprint here.
 */
const FINGERPRINT = { version: 5, sha256: 'd28bc5a4a89c5b539ad5676c127218e48f4a3f453b604f335de64bcd3ac9f10d' };

let runtime: TestRuntime;
beforeEach(async () => {
  runtime = await openTestRuntime();
});
afterEach(() => runtime.dispose());

async function indexFingerprint(): Promise<string> {
  for (const fn of Object.values(AREAS)) await fn.prepare(runtime.db);
  const names = (await runtime.db.listCollections({}, { nameOnly: true }).toArray()).map((entry) => entry.name as string).sort();
  const specs: unknown[] = [];
  for (const name of names) {
    const indexes = await runtime.db.collection(name).listIndexes().toArray();
    for (const { key, name: indexName, unique, sparse, partialFilterExpression, expireAfterSeconds } of indexes.sort((a, b) => String(a.name).localeCompare(String(b.name)))) {
      specs.push({ collection: name, name: indexName, key, unique, sparse, partialFilterExpression, expireAfterSeconds });
    }
  }
  return createHash('sha256').update(JSON.stringify(specs)).digest('hex');
}

it('records the index version that matches the indexes the functions create', async () => {
  expect({ version: INDEXES_VERSION, sha256: await indexFingerprint() }).toEqual(FINGERPRINT);
});

it("creates an area's indexes once, then only reads the marker (one read per cold start)", async () => {
  let runs = 0;
  const prepare = async () => {
    runs += 1;
  };
  expect(await ensureIndexesOnce(runtime.db, 'booking', prepare)).toBe('created');
  expect(await ensureIndexesOnce(runtime.db, 'booking', prepare)).toBe('current');
  expect(await ensureIndexesOnce(runtime.db, 'payment', prepare)).toBe('created');
  expect(runs).toBe(2);
});

it('runs again after a deployment that raised the version, and never lowers a newer marker', async () => {
  const markers = runtime.db.collection<{ _id: string; version: number }>('indexVersions');
  await markers.insertOne({ _id: 'booking', version: INDEXES_VERSION - 1 });
  await markers.insertOne({ _id: 'payment', version: INDEXES_VERSION + 1 });
  let runs = 0;
  const prepare = async () => {
    runs += 1;
  };
  expect(await ensureIndexesOnce(runtime.db, 'booking', prepare)).toBe('created');
  expect(await ensureIndexesOnce(runtime.db, 'payment', prepare)).toBe('current');
  expect(runs).toBe(1);
  expect(await markers.findOne({ _id: 'booking' })).toMatchObject({ version: INDEXES_VERSION });
  expect(await markers.findOne({ _id: 'payment' })).toMatchObject({ version: INDEXES_VERSION + 1 });
});
