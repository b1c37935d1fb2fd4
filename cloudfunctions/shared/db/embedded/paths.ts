// Dotted field paths: split once, and read every value a path reaches through embedded documents and arrays.
import { isPlainObject } from './values';

const splitCache = new Map<string, string[]>();

export function splitPath(path: string): string[] {
  let parts = splitCache.get(path);
  if (!parts) {
    parts = path.split('.');
    if (splitCache.size > 10_000) splitCache.clear();
    splitCache.set(path, parts);
  }
  return parts;
}

export interface PathScan {
  /** Values found at the end of the path, arrays not expanded. Empty when the path reaches nothing. */
  leaves: unknown[];
  /** The path went through an array before its last segment (`a.b` with `a` an array). */
  throughArray: boolean;
}

export function scanPath(doc: unknown, path: string[]): PathScan {
  const scan: PathScan = { leaves: [], throughArray: false };
  walk(doc, path, 0, scan);
  return scan;
}

function walk(current: unknown, path: string[], depth: number, scan: PathScan): void {
  if (depth === path.length) {
    scan.leaves.push(current);
    return;
  }
  const segment = path[depth];
  if (Array.isArray(current)) {
    scan.throughArray = true;
    if (/^\d+$/.test(segment) && Number(segment) < current.length) walk(current[Number(segment)], path, depth + 1, scan);
    for (const item of current) {
      if (isPlainObject(item) && item[segment] !== undefined) walk(item[segment], path, depth + 1, scan);
    }
    return;
  }
  if (isPlainObject(current)) {
    const next = current[segment];
    if (next !== undefined) walk(next, path, depth + 1, scan);
  }
}

/** Every value at the path with arrays at the end expanded one level, as multikey indexes, sort and distinct see them. */
export function expandedValues(doc: unknown, path: string[]): unknown[] {
  const out: unknown[] = [];
  for (const leaf of scanPath(doc, path).leaves) {
    if (Array.isArray(leaf)) out.push(...leaf);
    else out.push(leaf);
  }
  return out;
}
