// Child process for the lease tests: opens the store in <dir>, takes the lease on <key> for <leaseMs> and
// prints 'holding' from inside the work, which never ends: the test kills it there with SIGKILL.
import { openEmbeddedStore } from '../../../../cloudfunctions/shared/db/embedded';
import { withLease } from '../../../../cloudfunctions/shared/booking/lease';
import type { Db } from 'mongodb';

const [dir, key, leaseMs] = process.argv.slice(2);

async function hold(): Promise<void> {
  const store = await openEmbeddedStore({ dir, dbName: 'lease' });
  await withLease(store.db as unknown as Db, { collection: 'patientLocks', key, busyMessage: 'busy', leaseMs: Number(leaseMs) }, async () => {
    console.log('holding');
    await new Promise(() => setInterval(() => undefined, 60_000));
  });
}

hold().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
