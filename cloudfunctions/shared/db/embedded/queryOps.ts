// Synchronous read and write primitives over one collection; the driver-shaped API wraps these.
import type { CollectionState } from './CollectionState';
import { compileFilter } from './matcher';
import { planQuery } from './planner';
import { normalizeSort, sortDocs } from './sort';
import { applyUpdate, replacementFor, type CompiledUpdate } from './update';
import { upsertDocument, upsertReplacement } from './upsert';
import { strictEquals, type Doc } from './values';

export interface ExplainStats {
  /** `_id_`, the secondary index used, or null for a full scan. */
  index: string | null;
  docsExamined: number;
  nReturned: number;
}

export interface FindSpec {
  filter?: Doc;
  sort?: unknown;
  skip?: number;
  limit?: number;
}

/** Matching stored documents (not copies), in natural or index order, at most `max` of them. */
export function matchingDocs(state: CollectionState | undefined, filter: Doc | undefined, max = Infinity, stats?: ExplainStats): Doc[] {
  const matcher = compileFilter(filter);
  if (!state) return [];
  const plan = planQuery(state, filter);
  const out: Doc[] = [];
  let examined = 0;
  for (const doc of plan.docs ?? state.docs.values()) {
    examined++;
    if (matcher(doc)) {
      out.push(doc);
      if (out.length >= max) break;
    }
  }
  if (stats) Object.assign(stats, { index: plan.index, docsExamined: examined, nReturned: out.length });
  else state.docsExamined += examined;
  return out;
}

export function findDocs(state: CollectionState | undefined, spec: FindSpec, stats?: ExplainStats): Doc[] {
  const sort = normalizeSort(spec.sort);
  const skip = Math.max(0, spec.skip ?? 0);
  const limit = spec.limit ? Math.abs(spec.limit) : Infinity;
  let docs = matchingDocs(state, spec.filter, sort ? Infinity : skip + limit, stats);
  if (sort) docs = sortDocs(docs, sort);
  if (skip > 0 || limit < docs.length) docs = docs.slice(skip, skip + limit);
  if (stats) stats.nReturned = docs.length;
  return docs;
}

export function findFirst(state: CollectionState | undefined, filter: Doc | undefined, sort?: unknown): Doc | undefined {
  return findDocs(state, { filter, sort, limit: 1 })[0];
}

export type Change = { update: CompiledUpdate; replacement?: undefined } | { replacement: Doc; update?: undefined };

export interface ModifyOptions {
  multi: boolean;
  upsert?: boolean;
  sort?: unknown;
}

export interface ModifyOutcome {
  matchedCount: number;
  modifiedCount: number;
  upsertedId: unknown;
  /** For single-document changes: the stored versions before and after (the same object when unchanged). */
  before?: Doc;
  after?: Doc;
}

function nextVersion(doc: Doc, change: Change): Doc | null {
  if (change.update) return applyUpdate(doc, change.update, false);
  const next = replacementFor(doc, change.replacement);
  return strictEquals(next, doc) ? null : next;
}

/**
 * Update/replace with MongoDB's semantics: each document is changed atomically (all checks before the first change);
 * a multi-document update that fails midway keeps the documents it already changed, as on a server.
 */
export function modify(
  state: CollectionState | undefined,
  ensure: () => CollectionState,
  filter: Doc,
  change: Change,
  options: ModifyOptions,
): ModifyOutcome {
  const targets = options.multi ? findDocs(state, { filter }) : findDocs(state, { filter, sort: options.sort, limit: 1 });
  const outcome: ModifyOutcome = { matchedCount: targets.length, modifiedCount: 0, upsertedId: null };
  for (const doc of targets) {
    const next = nextVersion(doc, change);
    if (next) {
      state!.replace(doc, next);
      outcome.modifiedCount++;
    }
    outcome.before = doc;
    outcome.after = next ?? doc;
  }
  if (targets.length === 0 && options.upsert) {
    const doc = change.update ? upsertDocument(filter, change.update) : upsertReplacement(filter, change.replacement);
    ensure().insert(doc);
    outcome.upsertedId = doc._id;
    outcome.after = doc;
  }
  return outcome;
}

export function remove(state: CollectionState | undefined, filter: Doc, options: { multi: boolean; sort?: unknown }): Doc[] {
  const targets = options.multi ? findDocs(state, { filter }) : findDocs(state, { filter, sort: options.sort, limit: 1 });
  for (const doc of targets) state!.remove(doc);
  return targets;
}
