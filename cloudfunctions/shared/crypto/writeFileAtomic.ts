// Crash-safe file writes for secrets and small state files: temp file, fsync, then an atomic publish.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface WriteFileAtomicOptions {
  /** Permission bits of the new file; set when the temp file is created so it is never readable by others. */
  mode?: number;
  /**
   * false: publish only if the file does not exist yet (returns false when another writer won),
   * so two processes generating a key at once cannot silently replace each other's key.
   */
  overwrite?: boolean;
}

/** Writes `data` to `file` so readers see either the old content or the new one, never a torn file. */
export function writeFileAtomic(file: string, data: string, options: WriteFileAtomicOptions = {}): boolean {
  const { mode = 0o600, overwrite = true } = options;
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd); // the content must be on disk before the name points at it
  } finally {
    closeSync(fd);
  }
  let published = true;
  try {
    if (overwrite) {
      renameSync(temp, file);
    } else {
      // link() fails with EEXIST instead of replacing, which rename() cannot do.
      try {
        linkSync(temp, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        published = false;
      }
      unlinkSync(temp);
    }
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone: nothing to clean up
    }
    throw error;
  }
  syncDirectory(path.dirname(file));
  return published;
}

/** Makes the new directory entry itself durable; not every platform allows opening a directory. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows and some network filesystems refuse this; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
