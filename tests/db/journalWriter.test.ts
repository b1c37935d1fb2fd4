/**
 * Group commit with writes that do not wait for the disk (`writeConcern: { j: false }`): such a write is
 * answered once applied, and later operations do not wait for its sync either; a normal write still waits
 * for the sync that carries it, and closing the store waits for every record, awaited or not.
 */
import type { FileHandle } from 'node:fs/promises';
import { setImmediate as tick } from 'node:timers/promises';
import { JournalWriter } from '../../cloudfunctions/shared/db/embedded/JournalWriter';

/** A journal file whose syncs finish only when the test says so; what reached "disk" is kept in order. */
function slowDisk() {
  const written: Buffer[] = [];
  const syncs: Array<() => void> = [];
  const file = {
    write: async (data: Buffer, offset: number, length: number) => {
      written.push(Buffer.from(data.subarray(offset, offset + length)));
      return { bytesWritten: length };
    },
    datasync: () => new Promise<void>((resolve) => syncs.push(resolve)),
  } as unknown as FileHandle;
  return { file, written, finishSync: () => syncs.shift()?.(), pendingSyncs: () => syncs.length };
}

const settledNow = async (promise: Promise<void> | null) => {
  if (promise === null) return true;
  let done = false;
  void promise.then(() => (done = true));
  await tick();
  return done;
};

it('lets nothing wait for a record written without waiting, while a normal record waits for its sync', async () => {
  const disk = slowDisk();
  const writer = new JournalWriter(disk.file, 0);
  writer.append(Buffer.from('counter'), false);
  expect(writer.barrier()).toBeNull();
  await tick(); // the flush carrying it has started and waits for its sync
  expect(disk.pendingSyncs()).toBe(1);
  expect(writer.barrier()).toBeNull();
  expect(await settledNow(writer.drained())).toBe(false);

  writer.append(Buffer.from('appointment'));
  const awaited = writer.barrier();
  expect(await settledNow(awaited)).toBe(false);
  disk.finishSync(); // the first flush: only the counter
  await tick();
  await tick();
  expect(await settledNow(awaited)).toBe(false);
  expect(disk.pendingSyncs()).toBe(1);
  disk.finishSync(); // the second: the appointment
  expect(await settledNow(awaited)).toBe(true);
  expect(writer.barrier()).toBeNull();
  expect(await settledNow(writer.drained())).toBe(true);
  expect(Buffer.concat(disk.written).toString('latin1')).toMatch(/counter[\s\S]*appointment/);
});

it('makes a later operation wait for an earlier normal record even when a record written without waiting came after it', async () => {
  const disk = slowDisk();
  const writer = new JournalWriter(disk.file, 0);
  writer.append(Buffer.from('appointment'));
  writer.append(Buffer.from('counter'), false);
  const barrier = writer.barrier();
  expect(await settledNow(barrier)).toBe(false);
  await tick();
  disk.finishSync();
  expect(await settledNow(barrier)).toBe(true);
});

it('drains records written without waiting before it reports the journal empty', async () => {
  const disk = slowDisk();
  const writer = new JournalWriter(disk.file, 0);
  writer.append(Buffer.from('counter'), false);
  const drained = writer.drained();
  await tick();
  expect(await settledNow(drained)).toBe(false);
  disk.finishSync();
  expect(await settledNow(drained)).toBe(true);
  expect(Buffer.concat(disk.written).toString('latin1')).toContain('counter');
});
