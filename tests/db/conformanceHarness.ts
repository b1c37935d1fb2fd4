// The harness of the conformance suites: the same cases against every backend (both embedded modes, and a
// real MongoDB when MONGODB_URI is set), so the embedded store must behave as a server does.
import { MongoServerError, type Collection, type Db, type Document, type ObjectId } from 'mongodb';
import { embeddedInMemory, embeddedOnDisk, mongoBackend, type Backend } from './backends';

/** Documents with ids of any type (the driver's default typing assumes ObjectId ids). */
export type Doc = Document & { _id?: number | string | ObjectId };

export const byId = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)));
export const ids = (docs: Doc[]) => docs.map((doc) => doc._id).sort(byId);

export async function rejection(promise: Promise<unknown>): Promise<MongoServerError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MongoServerError);
    return error as MongoServerError;
  }
  throw new Error('expected the operation to fail');
}

export interface Harness {
  backend: Backend;
  db(): Db;
  /** A collection no other case uses. */
  fresh<T extends Doc = Doc>(): Collection<T>;
}

/** Declares `cases` once per backend. */
export function onEveryBackend(cases: (harness: Harness) => void): void {
  const uri = process.env.MONGODB_URI;
  for (const backend of [embeddedInMemory, embeddedOnDisk, ...(uri ? [mongoBackend(uri)] : [])]) {
    describe(backend.name, () => {
      let db: Db;
      let close: () => Promise<void>;
      let counter = 0;
      beforeAll(async () => {
        ({ db, close } = await backend.open());
      });
      afterAll(() => close());
      cases({ backend, db: () => db, fresh: <T extends Doc = Doc>() => db.collection<T>(`c${++counter}`) });
    });
  }
  if (!uri) {
    describe.skip('MongoDB (skipped: set MONGODB_URI, e.g. mongodb://127.0.0.1:27017, to run this same suite against a real server)', () => {
      it('runs every case above against the server', () => undefined);
    });
  }
}
