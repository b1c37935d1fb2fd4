// A collection's secondary indexes kept in step with its documents; a write that breaks a unique index changes nothing.
import { duplicateKeyError } from './errors';
import { Index, sameEntry, type Entry, type IndexSpec } from './SecondaryIndex';
import type { Doc } from './values';

export class IndexSet {
  private list: Index[] = [];

  constructor(private readonly namespace: string) {}

  all(): readonly Index[] {
    return this.list;
  }

  get(name: string): Index | undefined {
    return this.list.find((index) => index.name === name);
  }

  /**
   * Moves document `id` from `oldDoc`'s keys to `newDoc`'s in every index. All checks (unique, parallel arrays) run
   * before the first change, so a throw leaves every index as it was.
   */
  write(id: string, oldDoc: Doc | undefined, newDoc: Doc | undefined): void {
    if (this.list.length === 0) return;
    const changes: Array<{ index: Index; before: Entry | null; after: Entry | null }> = [];
    for (const index of this.list) {
      const before = oldDoc ? index.entryOf(oldDoc) : null;
      const after = newDoc ? index.entryOf(newDoc) : null;
      if (before && after && sameEntry(before, after)) continue;
      if (after && index.unique) {
        const values = index.conflict(id, after);
        if (values) throw duplicateKeyError(this.namespace, index.name, index.spec.key, index.keyValue(values));
      }
      changes.push({ index, before, after });
    }
    for (const { index, before, after } of changes) {
      if (before) index.remove(id, before);
      if (after) index.add(id, after);
    }
  }

  /** Builds a complete index before installing it: a unique index over existing duplicates fails with 11000. */
  create(spec: IndexSpec, docs: Map<string, Doc>): Index {
    const index = new Index(spec);
    for (const [id, doc] of docs) {
      const entry = index.entryOf(doc);
      if (index.unique) {
        const values = index.conflict(id, entry);
        if (values) throw duplicateKeyError(this.namespace, index.name, spec.key, index.keyValue(values));
      }
      index.add(id, entry);
    }
    this.list = [...this.list, index];
    return index;
  }

  drop(name: string): boolean {
    const before = this.list.length;
    this.list = this.list.filter((index) => index.name !== name);
    return this.list.length !== before;
  }

  clear(): void {
    this.list = [];
  }
}
