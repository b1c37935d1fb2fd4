// Index creation once per index version, not on every cold start: a function's first call reads one
// marker document per area and runs its ~5-20 createIndex calls only when the marker is older than
// INDEXES_VERSION (a new deployment that changed an index). `npm run db:indexes` does the same for
// every area as a deploy step, so even the first call after a deployment finds them ready.
import type { Db } from 'mongodb';

/**
 * Bump when any ensure*Indexes function changes. tests/cloudfunctions/shared/dbIndexes.test.ts keeps a
 * fingerprint of every index the functions create and fails until the two are updated together.
 */
export const INDEXES_VERSION = 5;

interface IndexMarkerDoc {
  _id: string;
  version: number;
  at: Date;
}

const markersOf = (db: Db) => db.collection<IndexMarkerDoc>('indexVersions');

export async function ensureIndexesOnce(db: Db, area: string, prepare: (db: Db) => Promise<void>, now = new Date()): Promise<'created' | 'current'> {
  const marker = await markersOf(db).findOne({ _id: area });
  if (marker && marker.version >= INDEXES_VERSION) return 'current';
  await prepare(db);
  // Never lower a marker another instance raised after a newer deployment.
  await markersOf(db).updateOne({ _id: area, version: { $lt: INDEXES_VERSION } }, { $set: { version: INDEXES_VERSION, at: now } }, { upsert: true }).catch((error: unknown) => {
    if ((error as { code?: number }).code !== 11000) throw error;
  });
  return 'created';
}
