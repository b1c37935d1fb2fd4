// A collection's documents and indexes, changed only through insert/replace/remove so that memory, indexes and journal agree.
import type { DiskJournal } from './DiskJournal';
import { duplicateKeyError, serverError } from './errors';
import type { IndexSpec } from './SecondaryIndex';
import { IndexSet } from './IndexSet';
import { keyOf } from './keys';
import { cloneValue, type Doc } from './values';

export class CollectionState {
  /** _id key -> stored document. Stored documents are never mutated: writes replace them (see Draft). */
  readonly docs = new Map<string, Doc>();
  readonly indexes: IndexSet;
  /** Documents queries have examined so far (what a server's explain calls docsExamined), for benches. */
  docsExamined = 0;
  /** Documents inserted, replaced or removed so far (each a journal record to sync), for benches and tests. */
  docsWritten = 0;

  constructor(
    readonly name: string,
    readonly namespace: string,
    private readonly journal: DiskJournal | null,
  ) {
    this.indexes = new IndexSet(namespace);
  }

  static idKey(id: unknown): string {
    return keyOf(id);
  }

  /** Every check (encoding, _id, unique indexes) runs before the first change. */
  insert(doc: Doc): void {
    const id = doc._id;
    if (Array.isArray(id)) throw serverError('InvalidIdField', "The '_id' value cannot be of type array");
    const key = keyOf(id);
    if (this.docs.has(key)) throw duplicateKeyError(this.namespace, '_id_', { _id: 1 }, { _id: cloneValue(id) });
    const encoded = this.journal?.encode({ t: 'p', c: this.name, d: doc });
    this.indexes.write(key, undefined, doc);
    this.docs.set(key, doc);
    this.docsWritten += 1;
    if (encoded) this.journal!.put(this.name, key, encoded);
  }

  /** `next` must keep `previous`'s _id (callers check and raise ImmutableField). */
  replace(previous: Doc, next: Doc): void {
    const key = keyOf(previous._id);
    const encoded = this.journal?.encode({ t: 'p', c: this.name, d: next });
    this.indexes.write(key, previous, next);
    this.docs.set(key, next);
    this.docsWritten += 1;
    if (encoded) this.journal!.put(this.name, key, encoded);
  }

  remove(doc: Doc): void {
    const key = keyOf(doc._id);
    const encoded = this.journal?.encode({ t: 'd', c: this.name, i: doc._id });
    this.indexes.write(key, doc, undefined);
    this.docs.delete(key);
    this.docsWritten += 1;
    if (encoded) this.journal!.delete(this.name, key, encoded);
  }

  createIndex(spec: IndexSpec): void {
    const encoded = this.journal?.encode({ t: 'ix', c: this.name, spec: { ...spec } });
    this.indexes.create(spec, this.docs);
    if (encoded) this.journal!.meta(encoded);
  }

  dropIndex(name: string): void {
    const encoded = this.journal?.encode({ t: 'dx', c: this.name, n: name });
    this.indexes.drop(name);
    if (encoded) this.journal!.meta(encoded);
  }

  indexSpecs(): IndexSpec[] {
    return this.indexes.all().map((index) => index.spec);
  }
}
