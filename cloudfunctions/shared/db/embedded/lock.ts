// One writer per data folder: a LOCK file holding the owner's pid, taken over only when that process is gone.
import fs from 'node:fs';
import path from 'node:path';
import { EmbeddedStoreError } from './errors';

const LOCK_FILE = 'LOCK';

/** Lock files held by this process: a lock naming our own pid but not listed here is left by an earlier process
 * that had the same pid (typical in containers, where the server is always pid 1). */
const held = new Set<string>();

function isAlive(pid: number, file: string): boolean {
  if (pid === process.pid) return held.has(file);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function inUse(dir: string, pid: number): EmbeddedStoreError {
  return new EmbeddedStoreError(
    `data folder ${dir} in use by process ${pid}. Stop that process first (if no such process is running, delete ${path.join(dir, LOCK_FILE)}).`,
  );
}

/**
 * The lock file is written complete under a temporary name and hard-linked into place, so it is never seen empty and
 * creation fails atomically if it exists. A stale lock is renamed away before being checked, so two processes taking
 * over the same stale lock cannot both win. Returns the release function.
 */
export function acquireLock(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  const mine = path.join(dir, `${LOCK_FILE}.${process.pid}.tmp`);
  fs.writeFileSync(mine, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        fs.linkSync(mine, file);
        held.add(file);
        return () => release(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readPid(file);
      if (owner !== null && isAlive(owner, file)) throw inUse(dir, owner);
      takeOver(dir, file);
    }
    throw new EmbeddedStoreError(`could not lock data folder ${dir}: the lock file keeps changing`);
  } finally {
    fs.rmSync(mine, { force: true });
  }
}

function takeOver(dir: string, file: string): void {
  const aside = path.join(dir, `${LOCK_FILE}.stale.${process.pid}`);
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else moved it: retry
    throw error;
  }
  const owner = readPid(aside);
  if (owner !== null && isAlive(owner, file)) {
    // We moved a lock that was just taken by a live process: put it back and report it.
    try {
      fs.linkSync(aside, file);
    } finally {
      fs.rmSync(aside, { force: true });
    }
    throw inUse(dir, owner);
  }
  fs.rmSync(aside, { force: true });
}

function release(file: string): void {
  held.delete(file);
  if (readPid(file) === process.pid) fs.rmSync(file, { force: true });
}
