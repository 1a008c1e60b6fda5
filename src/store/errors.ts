// StoreError factories shared by both implementations, so that they fail with the same codes,
// context and messages (messages follow etcd's wording where etcd has one).
import { StoreError, type KeyValue } from './store.ts';

export function alreadyExists(key: string, current: KeyValue): StoreError {
  return new StoreError('AlreadyExists', key, `key ${key} already exists (modRevision ${current.modRevision})`, { current });
}

export function notFound(key: string): StoreError {
  return new StoreError('NotFound', key, `key ${key} not found`);
}

export function conflict(key: string, ifRevision: number, current: KeyValue): StoreError {
  return new StoreError(
    'Conflict',
    key,
    `key ${key}: expected modRevision ${ifRevision}, found ${current.modRevision}`,
    { current },
  );
}

/** `revision` is the one that was asked for; everything at or below `compactRevision` is gone. */
export function compacted(key: string, revision: number, compactRevision: number, cause?: unknown): StoreError {
  return new StoreError(
    'Compacted',
    key,
    `required revision ${revision} has been compacted (compact revision ${compactRevision})`,
    { compactRevision, cause },
  );
}

export function unavailable(key: string, message: string, cause?: unknown): StoreError {
  return new StoreError('Unavailable', key, message, { cause });
}

/** Reading at a revision the store has not reached is a caller error, not a store state. */
export function futureRevision(revision: number, current: number): Error {
  return new Error(`required revision ${revision} is a future revision (current ${current})`);
}
