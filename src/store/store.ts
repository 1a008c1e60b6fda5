// The store contract. Two implementations (sqlite/, etcd/) pass one conformance suite
// (test/store/conformance.ts). Keys follow Kubernetes: /registry/<resource>/<namespace>/<name>.
//
// Revisions: one global, strictly increasing counter per store. Every successful create, update
// and delete takes the next revision; the key's modRevision is that revision and it is what the
// API server reports as metadata.resourceVersion. A store that restarts continues its counter.
//
//   create(k, v)            → kv                    fails "AlreadyExists" if k is live
//   get(k)                  → kv | undefined        the newest live value
//   list(prefix, opts)      → { items, revision }   live keys with that prefix, sorted by key,
//                                                    as of opts.revision (default: now);
//                                                    limit/continue page through one snapshot
//   update(k, v, ifRev)     → kv                    fails "Conflict" if k's modRevision ≠ ifRev,
//                                                    "NotFound" if k is not live
//   delete(k, ifRev?)       → kv (the deleted one, modRevision = the delete's revision)
//   watch(prefix, fromRev)  → every change with revision > fromRev, in revision order, none lost
//                             or duplicated; fails "Compacted" if fromRev < the compacted revision
//   compact(rev)            → history at or below rev may be forgotten; reads and watches that
//                             need it fail "Compacted"

export interface KeyValue {
  key: string;
  /** Serialized object (JSON text). */
  value: string;
  createRevision: number;
  modRevision: number;
}

export interface ListOptions {
  /** Read as of this revision (must not be compacted). Default: the current revision. */
  revision?: number;
  /** At most this many items; more remain when `continue` is returned. */
  limit?: number;
  /** Opaque token from a previous page; the page continues at the same revision. */
  continue?: string;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision this list reflects. */
  revision: number;
  /** Present when more items remain. */
  continue?: string;
  /** Number of items left after this page (when `continue` is set). */
  remaining?: number;
}

export type WatchEvent =
  | { type: 'put'; kv: KeyValue; prev?: KeyValue }
  | { type: 'delete'; kv: KeyValue; prev: KeyValue };

export interface Watch {
  /** Events in revision order. Ends with an error of code "Compacted" when the start is too old. */
  events: AsyncIterable<WatchEvent>;
  close(): void;
}

export type StoreErrorCode = 'AlreadyExists' | 'NotFound' | 'Conflict' | 'Compacted' | 'Unavailable';

/** Typed store failure; callers branch on `code`, never on the message. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly key: string;
  /** The live value when a conditional write failed (Conflict, AlreadyExists). */
  readonly current?: KeyValue;
  /** For Compacted: the oldest revision still available. */
  readonly compactRevision?: number;
  readonly retryable: boolean;

  constructor(
    code: StoreErrorCode,
    key: string,
    message: string,
    extra: { current?: KeyValue; compactRevision?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: extra.cause });
    this.name = 'StoreError';
    this.code = code;
    this.key = key;
    this.current = extra.current;
    this.compactRevision = extra.compactRevision;
    this.retryable = code === 'Unavailable';
  }
}

export interface Store {
  create(key: string, value: string): Promise<KeyValue>;
  get(key: string): Promise<KeyValue | undefined>;
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  update(key: string, value: string, ifRevision: number): Promise<KeyValue>;
  delete(key: string, ifRevision?: number): Promise<KeyValue>;
  watch(prefix: string, fromRevision: number): Watch;
  compact(revision: number): Promise<void>;
  /** The newest revision the store has handed out. */
  currentRevision(): Promise<number>;
  close(): Promise<void>;
}

