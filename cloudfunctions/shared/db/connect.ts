// The one place that decides the database: a real MongoDB when a URI is configured, otherwise the embedded store.
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { openEmbeddedStore, type StoreLog } from './embedded';

export interface DbHandle {
  db: Db;
  kind: 'mongodb' | 'embedded';
  close(): Promise<void>;
}

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
    const client = new MongoClient(options.mongodbUri);
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
