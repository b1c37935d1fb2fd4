// `npm run db:indexes`: a deploy step. Creates every function's indexes on the configured database
// (MONGODB_URI, or the embedded store in DATA_DIR) and records the index version, so deployed functions
// find them ready and each cold start costs one marker read instead of every createIndex call.
// `--force` runs every area's index creation even when its marker is current.
import * as admin from '../admin';
import * as booking from '../booking';
import * as catalog from '../catalog';
import * as message from '../message';
import * as patient from '../patient';
import * as payment from '../payment';
import * as user from '../user';
import { ConfigError, parseServerConfig } from '../shared/config';
import { connectDb } from '../shared/db/connect';
import { ensureIndexesOnce, INDEXES_VERSION } from '../shared/dbIndexes';
import { createLogger } from '../shared/log';

const AREAS = { user, patient, catalog, admin, booking, payment, message };

async function main(): Promise<void> {
  const config = parseServerConfig();
  const force = process.argv.includes('--force');
  const handle = await connectDb({ mongodbUri: config.mongodbUri, dbName: config.dbName, dataDir: config.dataDir, acceptDataLoss: config.acceptDataLoss, log: createLogger(config.logLevel) });
  try {
    for (const [area, fn] of Object.entries(AREAS)) {
      const outcome = force ? (await fn.prepare(handle.db), 'created') : await ensureIndexesOnce(handle.db, area, fn.prepare);
      console.log(`${area.padEnd(8)} indexes ${outcome === 'created' ? `created (version ${INDEXES_VERSION})` : 'already current'}`);
    }
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `db:indexes failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
