// The one place that decides the database: a real MongoDB when a URI is configured, otherwise the embedded store.
import path from 'node:path';
import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';
import { openEmbeddedStore, type StoreLog } from './embedded';

export interface DbHandle {
  db: Db;
  kind: 'mongodb' | 'embedded';
  close(): Promise<void>;
}

/**
 * What every function instance asks of the cluster, instead of whatever the cluster defaults to.
 * - `w: 'majority'`, `j: true`: a write is acknowledged only once a majority of members have it in
 *   their journals. A claimed place, a payment or a refund must survive a primary failing over a
 *   moment after we answered the patient; w:1 can roll such a write back.
 * - `readPreference: 'primary'`: the read-then-conditional-write patterns (holds, settlements,
 *   the sweep) must read what the last write left, never a secondary that lags behind.
 * - A small pool: each function instance serves one request at a time (a few parallel reads at
 *   most), and the platform runs many instances; the driver's default of 100 connections per
 *   instance would exhaust the server's connection limit long before its CPU.
 * - Short timeouts: an unreachable server or a dead socket answers an error while the function can
 *   still reply, instead of the driver waiting 30 s for a server and the platform killing the
 *   function without a word. Selection and connection give up after 2 s; a socket silent for 4 s
 *   (a majority write waits for the secondaries in silence, so not much less) is dead. Every function
 *   therefore needs a timeout of at least 5 s in the deploy configuration (the platform default is 3 s).
 */
export const MONGO_CLIENT_OPTIONS: MongoClientOptions = {
  writeConcern: { w: 'majority', journal: true },
  readPreference: 'primary',
  maxPoolSize: 5,
  serverSelectionTimeoutMS: 2_000,
  connectTimeoutMS: 2_000,
  socketTimeoutMS: 4_000,
};

export interface ConnectOptions {
  mongodbUri?: string;
  dbName: string;
  dataDir: string;
  /** Embedded store only: open a damaged journal with the writes before the damage (from STORE_ACCEPT_DATA_LOSS / NODE_ENV). */
  acceptDataLoss?: boolean;
  log?: StoreLog;
}

export async function connectDb(options: ConnectOptions): Promise<DbHandle> {
  if (options.mongodbUri) {
    const client = new MongoClient(options.mongodbUri, MONGO_CLIENT_OPTIONS);
    await client.connect();
    return { db: client.db(options.dbName), kind: 'mongodb', close: () => client.close() };
  }
  const store = await openEmbeddedStore({
    dir: path.join(options.dataDir, 'store'),
    dbName: options.dbName,
    onDataLoss: options.acceptDataLoss ? 'accept' : 'refuse',
    log: options.log,
  });
  // The embedded classes implement the subset of the driver's API the project uses, with the same signatures.
  return { db: store.db as unknown as Db, kind: 'embedded', close: () => store.close() };
}
