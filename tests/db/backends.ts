// The backends the conformance suite runs on: the embedded store (in memory and on a data folder) and, if configured, MongoDB.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { openEmbeddedStore } from '../../cloudfunctions/shared/db/embedded';

export interface Backend {
  name: string;
  /**
   * Concurrent callers and places for the race test: several times the places, so most callers lose a
   * real race, yet small enough that a loaded 2-core CI machine never times out. `npm run bench:store`
   * races 20,000 callers on the embedded store; CONFORMANCE_RACERS raises the count here.
   */
  racers: number;
  places: number;
  open(): Promise<{ db: Db; close(): Promise<void> }>;
}

const RACERS = Number(process.env.CONFORMANCE_RACERS ?? 500);

export const embeddedInMemory: Backend = {
  name: 'embedded store (in memory)',
  racers: RACERS,
  places: 100,
  async open() {
    const store = await openEmbeddedStore({ dbName: 'conformance' });
    return { db: store.db as unknown as Db, close: () => store.close() };
  },
};

export const embeddedOnDisk: Backend = {
  name: 'embedded store (data folder)',
  racers: RACERS,
  places: 100,
  async open() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'yiyue-conformance-'));
    const store = await openEmbeddedStore({ dir, dbName: 'conformance' });
    return {
      db: store.db as unknown as Db,
      async close() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export function mongoBackend(uri: string): Backend {
  return {
    name: 'MongoDB at MONGODB_URI',
    racers: RACERS,
    places: 100,
    async open() {
      const client = new MongoClient(uri);
      await client.connect();
      const db = client.db(`yiyue_conformance_${randomBytes(6).toString('hex')}`);
      return {
        db,
        async close() {
          await db.dropDatabase();
          await client.close();
        },
      };
    },
  };
}
