// Public surface of the embedded store: open a store, its Db/Collection/cursor classes, and its own error types.
export { openEmbeddedStore, EmbeddedStore, type OpenEmbeddedStoreOptions } from './EmbeddedStore';
export { EmbeddedDb } from './EmbeddedDb';
export { EmbeddedCollection } from './EmbeddedCollection';
export { EmbeddedFindCursor, EmbeddedAggregationCursor } from './Cursor';
export { EmbeddedStoreError, EmbeddedUnsupportedError } from './errors';
export type { ExplainStats } from './queryOps';
export type { CompactionPolicy, StoreLog } from './DiskJournal';
