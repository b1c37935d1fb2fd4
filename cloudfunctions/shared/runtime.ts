// One runtime per process: configuration, database and logger, opened once and reused by warm invocations.
import type { Db } from 'mongodb';
import { parseServerConfig, type ServerConfig } from './config';
import { connectDb } from './db/connect';
import { createLogger, type Logger } from './log';

export interface Runtime {
  config: ServerConfig;
  db: Db;
  log: Logger;
  close(): Promise<void>;
}

let current: Promise<Runtime> | undefined;

export async function openRuntime(config: ServerConfig, log = createLogger(config.logLevel)): Promise<Runtime> {
  const handle = await connectDb({ mongodbUri: config.mongodbUri, dbName: config.dbName, dataDir: config.dataDir });
  return { config, db: handle.db, log, close: () => handle.close() };
}

/** The process-wide runtime, opened from the environment on first use. */
export function getRuntime(): Promise<Runtime> {
  current ??= openRuntime(parseServerConfig()).catch((error: unknown) => {
    current = undefined; // let the next invocation try again, e.g. after a database outage
    throw error;
  });
  return current;
}

/** Installs a runtime opened elsewhere (the local host and tests). */
export function setRuntime(runtime: Runtime | undefined): void {
  current = runtime ? Promise.resolve(runtime) : undefined;
}

const prepared = new WeakMap<Runtime, Map<string, Promise<void>>>();

/** Runs an area's one-time preparation (index creation) once per runtime. */
export function prepareOnce(runtime: Runtime, key: string, prepare: (db: Db) => Promise<void>): Promise<void> {
  let done = prepared.get(runtime);
  if (!done) prepared.set(runtime, (done = new Map()));
  let promise = done.get(key);
  if (!promise) {
    promise = prepare(runtime.db).catch((error: unknown) => {
      done.delete(key);
      throw error;
    });
    done.set(key, promise);
  }
  return promise;
}
