// The lease behind per-patient and per-account-day booking decisions: a process killed while holding it
// blocks the key for at most the lease's length, then the next hold takes it over; while it is live,
// a waiting hold gives up with CONFLICT and its sentence. Leases run on real time, not the business clock.
import path from 'node:path';
import { rmSync } from 'node:fs';
import { ObjectId, type Db } from 'mongodb';
import { LEASE_MS, withLease, withLeases, type LeaseOptions } from '../../../../cloudfunctions/shared/booking/lease';
import { openEmbeddedStore, type EmbeddedDb, type EmbeddedStore } from '../../../../cloudfunctions/shared/db/embedded';
import { runToExit, spawnScript } from '../../../support/startProcess';
import { tempDir } from '../../../support/runtime';

jest.setTimeout(60_000);

const BUSY = '这位就诊人的另一个预约正在处理中，请稍等几秒再试。';
const CHILD = path.join(__dirname, 'leaseChild.ts');

interface LeaseDoc {
  _id: string;
  owner: ObjectId;
  until: Date;
}

let dir: string;
let store: EmbeddedStore | undefined;
const leasesIn = (opened: EmbeddedStore) => opened.db.collection<LeaseDoc>('patientLocks');
const dbOf = (opened: EmbeddedStore) => opened.db as unknown as Db;

beforeEach(() => (dir = tempDir('yiyue-lease-')));
afterEach(async () => {
  await store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

it('takes over, once it has run out, a lease left by a process killed while holding it', async () => {
  const key = new ObjectId().toHexString();
  // The production length: a killed process blocks its patient for LEASE_MS at most.
  const child = spawnScript(CHILD, [dir, key, String(LEASE_MS)]);
  const exited = runToExit(child);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('holding')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before holding the lease`)));
  });
  child.kill('SIGKILL');
  await exited;
  expect(child.signalCode).toBe('SIGKILL');

  store = await openEmbeddedStore({ dir, dbName: 'lease' });
  const left = await leasesIn(store).findOne({ _id: key });
  expect(left).not.toBeNull();
  const tryingAt = Date.now();
  // Still live when the next hold comes: it has to wait, which is what this test is about.
  expect(left!.until.getTime()).toBeGreaterThan(tryingAt);
  expect(left!.until.getTime()).toBeLessThanOrEqual(tryingAt + LEASE_MS);

  let enteredAt = 0;
  const answer = await withLease(dbOf(store), { collection: 'patientLocks', key, busyMessage: BUSY, waitMs: 30_000 }, async () => {
    enteredAt = Date.now();
    return 'held';
  });
  expect(answer).toBe('held');
  // Not before the dead owner's lease ran out, and then without a long delay (a generous bound for a busy machine).
  expect(enteredAt).toBeGreaterThanOrEqual(left!.until.getTime());
  expect(enteredAt).toBeLessThan(left!.until.getTime() + 15_000);
  const after = await leasesIn(store).findOne({ _id: key });
  expect(after!.owner.equals(left!.owner)).toBe(false);
  // Given back at once when the work ends.
  expect(after!.until.getTime()).toBeLessThanOrEqual(Date.now());
});

it('answers CONFLICT with the busy sentence after its wait while the lease is still live, and runs nothing', async () => {
  store = await openEmbeddedStore({ dir, dbName: 'lease' });
  const key = new ObjectId().toHexString();
  // As a process that took the lease a moment ago and then died would leave it.
  const dead = { _id: key, owner: new ObjectId(), until: new Date(Date.now() + 60_000) };
  await leasesIn(store).insertOne(dead);
  let ran = false;
  const startedAt = Date.now();
  await expect(
    withLease(dbOf(store), { collection: 'patientLocks', key, busyMessage: BUSY, waitMs: 300 }, async () => {
      ran = true;
    }),
  ).rejects.toMatchObject({ code: 'CONFLICT', message: BUSY });
  expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
  expect(ran).toBe(false);
  expect(await leasesIn(store).findOne({ _id: key })).toEqual(dead);
});

it('lets one holder at a time do its work, each after the other gave the lease back', async () => {
  store = await openEmbeddedStore({ dir, dbName: 'lease', opDelayMs: 2 });
  const key = new ObjectId().toHexString();
  let inside = 0;
  let most = 0;
  const work = async () => {
    inside += 1;
    most = Math.max(most, inside);
    await new Promise((resolve) => setTimeout(resolve, 20));
    inside -= 1;
  };
  const answers = await Promise.allSettled(Array.from({ length: 6 }, () => withLease(dbOf(store!), { collection: 'patientLocks', key, busyMessage: BUSY, waitMs: 30_000 }, work)));
  expect(answers).toHaveLength(6);
  expect(answers.every((answer) => answer.status === 'fulfilled')).toBe(true);
  expect(most).toBe(1);
});

it('keeps the lease for a live holder whose work outlasts the lease length, so no one runs alongside it', async () => {
  // A slow outside call under the lease (an unbind settling an unpaid order with a slow WeChat Pay).
  store = await openEmbeddedStore({ dir, dbName: 'lease' });
  const key = new ObjectId().toHexString();
  const inside: string[] = [];
  const overlaps: string[] = [];
  const holder = (name: string) =>
    withLease(dbOf(store!), { collection: 'patientLocks', key, busyMessage: BUSY, leaseMs: 150, waitMs: 30_000 }, async () => {
      if (inside.length) overlaps.push(`${name} ran alongside ${inside.join(', ')}`);
      inside.push(name);
      await new Promise((resolve) => setTimeout(resolve, 900));
      inside.splice(inside.indexOf(name), 1);
    });
  const first = holder('first');
  await new Promise((resolve) => setTimeout(resolve, 50));
  await Promise.all([first, holder('second')]);
  expect(overlaps).toEqual([]);
});

it('stops renewing for a holder stuck past the longest hold, so its key frees up after that', async () => {
  store = await openEmbeddedStore({ dir, dbName: 'lease' });
  const key = new ObjectId().toHexString();
  const options = { collection: 'patientLocks', key, busyMessage: BUSY, leaseMs: 100, maxHoldMs: 400 };
  const startedAt = Date.now();
  // Work that never ends, in a process that stays alive.
  void withLease(dbOf(store), options, () => new Promise<never>(() => undefined));
  await new Promise((resolve) => setTimeout(resolve, 20));
  let enteredAt = 0;
  await withLease(dbOf(store), { ...options, waitMs: 30_000 }, async () => {
    enteredAt = Date.now();
  });
  // Renewed past its first lease length, then let go: no sooner than the longest hold, not much later.
  expect(enteredAt - startedAt).toBeGreaterThanOrEqual(400);
  expect(enteredAt - startedAt).toBeLessThan(400 + 10_000);
});

describe('several leases at once (a booking: the account\'s day, then the card)', () => {
  const day = (key: string): LeaseOptions => ({ collection: 'bookerDayLocks', key, busyMessage: '您的另一个预约正在处理中，请稍等几秒再试。', waitMs: 10_000 });
  const card = (key: string): LeaseOptions => ({ collection: 'patientLocks', key, busyMessage: BUSY, waitMs: 10_000 });

  it('takes two free keys in one wait for the store, holds both while working, and gives both back in one', async () => {
    store = await openEmbeddedStore({ dir, dbName: 'lease', opDelayMs: 2 });
    const both = [day('account:2026-12-03'), card('card-1')];
    let refusedInside: string[] = [];
    await withLeases(dbOf(store), both, async () => {
      const tries = await Promise.allSettled(both.map((lease) => withLease(dbOf(store!), { ...lease, waitMs: 50 }, async () => undefined)));
      refusedInside = tries.map((attempt) => (attempt.status === 'rejected' ? (attempt.reason as Error).message : 'taken'));
    });
    expect(refusedInside).toEqual(['您的另一个预约正在处理中，请稍等几秒再试。', BUSY]);
    // Free again at once, and when nothing else is under way: taken in one wait, given back in one.
    expect(await waitsOf(store, () => withLeases(dbOf(store!), both.map((lease) => ({ ...lease, waitMs: 0 })), async () => undefined))).toBe(2);
  });

  it('never lets two callers each hold a key the other waits for: every caller gets through, one at a time per key', async () => {
    store = await openEmbeddedStore({ dir, dbName: 'lease', opDelayMs: 2 });
    const inside = new Map<string, number>();
    const overlaps: string[] = [];
    const holder = (keys: LeaseOptions[]) =>
      withLeases(dbOf(store!), keys, async () => {
        for (const { key } of keys) {
          const id = String(key);
          if (inside.get(id)) overlaps.push(id);
          inside.set(id, 1);
        }
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10));
        for (const { key } of keys) inside.set(String(key), 0);
      });
    // Two accounts booking one shared card on one day, the desk and an unbind taking the card alone, arriving
    // while others hold or wait: every mix of who finds which key busy first.
    const callers = Array.from({ length: 24 }, async (_, index) => {
      await new Promise((resolve) => setTimeout(resolve, index * 15));
      if (index % 4 === 3) return holder([card('card-1')]);
      return holder([day(`account-${index % 2}:2026-12-03`), card('card-1')]);
    });
    const answers = await Promise.allSettled(callers);
    expect(answers.filter((answer) => answer.status === 'rejected')).toEqual([]);
    expect(overlaps).toEqual([]);
  });
});

async function waitsOf(opened: EmbeddedStore, run: () => Promise<unknown>): Promise<number> {
  const db = opened.db as unknown as EmbeddedDb;
  const before = db.waits;
  await run();
  return db.waits - before;
}
