// Journal file format: framed BSON records with CRC32, commit markers per flush, and the scan that tells a torn tail from damage.
import { crc32 } from 'node:zlib';
import { BSON } from 'mongodb';
import { EmbeddedStoreError } from './errors';
import type { Doc } from './values';

/** File signature; a journal always starts with it (files are created complete, via rename). */
export const FILE_MAGIC = Buffer.from('YIYUEDB1', 'latin1');
/** Record signature, lets the scan look for intact records after a damaged one. */
const RECORD_MAGIC = 0x5259_4a31;
const HEADER = 12; // magic, payload length, crc32(length + payload)
const MAX_RECORD = 64 * 1024 * 1024;

/**
 * Records hold resulting states, never operations, so replay is deterministic:
 * p = put document, d = delete by _id, cc/dc = create/drop collection, ix/dx = create/drop index, dd = drop database,
 * c = commit: the end of one flush, `s` = the file offset where that flush began.
 */
export type JournalRecord =
  | { t: 'p'; c: string; d: Doc }
  | { t: 'd'; c: string; i: unknown }
  | { t: 'cc'; c: string }
  | { t: 'dc'; c: string }
  | { t: 'ix'; c: string; spec: Doc }
  | { t: 'dx'; c: string; n: string }
  | { t: 'dd' }
  | { t: 'c'; s: number };

export function encodeRecord(record: JournalRecord): Buffer {
  const payload = BSON.serialize(record, { ignoreUndefined: false });
  const out = Buffer.allocUnsafe(HEADER + payload.length);
  out.writeUInt32LE(RECORD_MAGIC, 0);
  out.writeUInt32LE(payload.length, 4);
  out.set(payload, HEADER);
  out.writeUInt32LE(crc32(payload, crc32(out.subarray(4, 8))), 8);
  return out;
}

interface RawRecord {
  record: JournalRecord;
  end: number;
  size: number;
}

function readRecord(buf: Buffer, pos: number): RawRecord | null {
  if (pos + HEADER > buf.length || buf.readUInt32LE(pos) !== RECORD_MAGIC) return null;
  const length = buf.readUInt32LE(pos + 4);
  if (length < 5 || length > MAX_RECORD || pos + HEADER + length > buf.length) return null;
  const payload = buf.subarray(pos + HEADER, pos + HEADER + length);
  if (crc32(payload, crc32(buf.subarray(pos + 4, pos + 8))) !== buf.readUInt32LE(pos + 8)) return null;
  try {
    return { record: BSON.deserialize(payload) as JournalRecord, end: pos + HEADER + length, size: HEADER + length };
  } catch {
    return null;
  }
}

export interface ScanResult {
  /** Records of complete flushes, in order, with their encoded sizes. */
  records: Array<{ record: JournalRecord; size: number }>;
  /** Where the last complete flush before any bad byte ends: the journal is cut back to this length. */
  validEnd: number;
  /** Bytes after validEnd when they are only a torn tail: a flush that never completed, so never acknowledged. */
  tornBytes: number;
  /** Set when intact records follow bad bytes: the file was damaged after it was written, and data is lost. */
  damage: JournalDamage | null;
}

export interface JournalDamage {
  /** The first byte that is not part of an intact record. */
  at: number;
  /** Intact records (commit markers not counted) after validEnd that the damage cuts off; damaged ones cannot be counted. */
  records: number;
  /** Bytes after validEnd, all dropped. */
  bytes: number;
  /** Whether a later flush committed after the damaged one, which proves the dropped writes had been acknowledged. */
  acknowledged: boolean;
}

/**
 * Every record carries a CRC32, and every flush ends with a commit marker. A crash can only tear the end of the last
 * flush (one write call, never acknowledged): nothing intact ever follows a tear. Intact records after bad bytes mean
 * the file was damaged later, so the writes after the damage are lost; this is reported, never passed off as a tear.
 */
export function scanJournal(buf: Buffer, file: string): ScanResult {
  if (buf.length < FILE_MAGIC.length || !buf.subarray(0, FILE_MAGIC.length).equals(FILE_MAGIC)) {
    throw new EmbeddedStoreError(`${file} is not an embedded store journal (bad signature); refusing to open it.`);
  }
  const records: ScanResult['records'] = [];
  let pending: ScanResult['records'] = [];
  let validEnd = FILE_MAGIC.length;
  let pos = validEnd;
  while (pos < buf.length) {
    const raw = readRecord(buf, pos);
    if (!raw) break;
    if (raw.record.t === 'c') {
      records.push(...pending);
      pending = [];
      validEnd = raw.end;
    } else pending.push({ record: raw.record, size: raw.size });
    pos = raw.end;
  }
  const after = pos < buf.length ? intactRecordsAfter(buf, pos + 1) : { records: 0, laterCommit: false, any: false };
  if (!after.any) return { records, validEnd, tornBytes: buf.length - validEnd, damage: null };
  return {
    records,
    validEnd,
    tornBytes: 0,
    damage: { at: pos, records: pending.length + after.records, bytes: buf.length - validEnd, acknowledged: after.laterCommit },
  };

  /** Looks for intact records after a bad byte, resynchronising on the record signature. */
  function intactRecordsAfter(bytes: Buffer, from: number): { records: number; laterCommit: boolean; any: boolean } {
    let count = 0;
    let laterCommit = false;
    let any = false;
    let probe = from;
    while (probe + HEADER <= bytes.length) {
      const raw = bytes.readUInt32LE(probe) === RECORD_MAGIC ? readRecord(bytes, probe) : null;
      if (!raw) {
        probe += 1;
        continue;
      }
      any = true;
      if (raw.record.t !== 'c') count += 1;
      else if (raw.record.s > validEnd) laterCommit = true;
      probe = raw.end;
    }
    return { records: count, laterCommit, any };
  }
}
