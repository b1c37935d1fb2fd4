// Find and aggregation cursors with the driver's chaining and iteration API; results are computed on first read.
import { MongoCursorInUseError } from 'mongodb';
import { compileProjection, type Projector } from './projection';
import { cloneValue, type Doc } from './values';

/** Computes the result documents (stored references or fresh objects); runs synchronously, as one atomic read. */
export type Producer = () => Doc[];

export interface CursorHost {
  /** Resolves once every write that the read may have observed is durable. */
  settle<T>(value: T): Promise<T>;
}

abstract class BaseCursor<T> implements AsyncIterable<T> {
  private buffer: Doc[] | null = null;
  private position = 0;
  private mappers: Array<(doc: unknown) => unknown> = [];
  private closedFlag = false;

  constructor(protected readonly host: CursorHost) {}

  protected abstract produce(): Doc[];
  /** Turns one produced document into what the caller receives (a private copy). */
  protected abstract emit(doc: Doc): unknown;

  protected assertNotStarted(): void {
    if (this.buffer) throw new MongoCursorInUseError('Cursor is already initialized');
  }

  private async load(): Promise<Doc[]> {
    if (!this.buffer) {
      this.buffer = this.produce();
      await this.host.settle(null);
    }
    return this.buffer;
  }

  private output(doc: Doc): T {
    let value: unknown = this.emit(doc);
    for (const mapper of this.mappers) value = mapper(value);
    return value as T;
  }

  map<U>(transform: (doc: T) => U): BaseCursor<U> {
    this.assertNotStarted();
    this.mappers.push(transform as (doc: unknown) => unknown);
    return this as unknown as BaseCursor<U>;
  }

  async toArray(): Promise<T[]> {
    const docs = await this.load();
    const out = docs.slice(this.position).map((doc) => this.output(doc));
    this.position = docs.length;
    return out;
  }

  async next(): Promise<T | null> {
    const docs = await this.load();
    return this.position < docs.length ? this.output(docs[this.position++]) : null;
  }

  tryNext(): Promise<T | null> {
    return this.next();
  }

  async hasNext(): Promise<boolean> {
    const docs = await this.load();
    return this.position < docs.length;
  }

  async forEach(callback: (doc: T) => boolean | void): Promise<void> {
    for (let doc = await this.next(); doc !== null; doc = await this.next()) if (callback(doc) === false) break;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, void> {
    for (let doc = await this.next(); doc !== null; doc = await this.next()) yield doc;
  }

  rewind(): void {
    this.buffer = null;
    this.position = 0;
  }

  async close(): Promise<void> {
    this.closedFlag = true;
    this.buffer = [];
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Batching and timeouts mean nothing in-process; accepted for API compatibility. */
  batchSize(_size: number): this {
    return this;
  }

  maxTimeMS(_ms: number): this {
    return this;
  }

  comment(_value: unknown): this {
    return this;
  }
}

export interface FindCursorSpec {
  filter?: Doc;
  sort?: unknown;
  skip?: number;
  limit?: number;
  projection?: Doc;
}

export class EmbeddedFindCursor<T = Doc> extends BaseCursor<T> {
  constructor(
    host: CursorHost,
    private readonly run: (spec: FindCursorSpec) => Doc[],
    private readonly spec: FindCursorSpec,
  ) {
    super(host);
  }

  private projector: Projector | null = null;

  protected produce(): Doc[] {
    this.projector = compileProjection(this.spec.projection);
    return this.run(this.spec);
  }

  protected emit(doc: Doc): unknown {
    return cloneValue(this.projector ? this.projector(doc) : doc);
  }

  sort(sort: unknown, direction?: unknown): this {
    this.assertNotStarted();
    this.spec.sort = typeof sort === 'string' && direction !== undefined ? [[sort, direction]] : sort;
    return this;
  }

  skip(value: number): this {
    this.assertNotStarted();
    this.spec.skip = value;
    return this;
  }

  limit(value: number): this {
    this.assertNotStarted();
    this.spec.limit = value;
    return this;
  }

  project<U = Doc>(projection: Doc): EmbeddedFindCursor<U> {
    this.assertNotStarted();
    compileProjection(projection); // report a bad projection here, not at the first read
    this.spec.projection = projection;
    return this as unknown as EmbeddedFindCursor<U>;
  }

  hint(_hint: unknown): this {
    return this; // the planner picks its own index; results are the same
  }

  clone(): EmbeddedFindCursor<T> {
    return new EmbeddedFindCursor<T>(this.host, this.run, { ...this.spec });
  }
}

export class EmbeddedAggregationCursor<T = Doc> extends BaseCursor<T> {
  constructor(
    host: CursorHost,
    private readonly run: () => Doc[],
  ) {
    super(host);
  }

  protected produce(): Doc[] {
    return this.run();
  }

  protected emit(doc: Doc): unknown {
    return doc; // aggregation output is built from private copies already
  }
}
