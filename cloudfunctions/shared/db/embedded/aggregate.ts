// Aggregation: a leading $match is answered with the query planner, the rest of the pipeline runs in mingo on copies.
import { Aggregator } from 'mingo';
import type { CollectionState } from './CollectionState';
import { EmbeddedUnsupportedError, serverError } from './errors';
import { matchingDocs } from './queryOps';
import { cloneDoc, isPlainObject, type Doc } from './values';

/** Documents of another collection of the same database, as copies ($lookup, $graphLookup, $unionWith). */
export type CollectionResolver = (name: string) => Doc[];

export function runPipeline(state: CollectionState | undefined, pipeline: unknown, resolve: CollectionResolver): Doc[] {
  if (!Array.isArray(pipeline)) throw serverError('TypeMismatch', "'pipeline' option must be specified as an array");
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw serverError('BadValue', 'A pipeline stage specification object must contain exactly one field.');
    }
    const name = Object.keys(stage)[0];
    if (name === '$out' || name === '$merge') throw new EmbeddedUnsupportedError(`the ${name} aggregation stage`);
  }
  let input: Doc[];
  let rest = pipeline as Doc[];
  if (rest.length > 0 && '$match' in rest[0]) {
    input = matchingDocs(state, rest[0].$match as Doc);
    rest = rest.slice(1);
  } else input = state ? [...state.docs.values()] : [];
  const copies = input.map(cloneDoc);
  if (rest.length === 0) return copies;
  return new Aggregator(rest, { collectionResolver: resolve }).run(copies) as Doc[];
}
