// The Store contract on etcd v3, one to one: revisions are etcd's, writes are single txns that
// compare mod_revision (the API server's compare-and-swap), reads of big prefixes are paged at
// one pinned revision to stay under gRPC's message limit.
//
//   create  txn(mod_revision(k) == 0       → put,    else range k) → AlreadyExists + current
//   update  txn(mod_revision(k) == ifRev   → put,    else range k) → Conflict + current | NotFound
//   delete  txn(mod_revision(k) == ifRev|>0 → delete, else range k) → Conflict + current | NotFound
//   compact put compact_rev_key, then Compact(rev) (kube-apiserver keeps the same key)
import type { Etcd3, IRequestOp, ITxnResponse } from 'etcd3';
import { decodeContinue, encodeContinue } from '../continue.ts';
import { alreadyExists, compacted, conflict, futureRevision, notFound, unavailable } from '../errors.ts';
import type { KeyValue, ListOptions, ListResult, Store, Watch } from '../store.ts';
import { connect, isCompactedError, isFutureRevisionError, isUnavailableError, prefixEnd, toKeyValue } from './client.ts';
import { EtcdWatches } from './watch.ts';

/** Items per range request: 500 objects stay well below the receive limit at etcd's 1.5 MiB max value. */
const pageSize = 500;
/** Where the last compaction's revision is kept, so that every server can report it. */
const compactRevisionKey = 'compact_rev_key';

export function openEtcdStore(endpoints: string[]): EtcdStore {
  return new EtcdStore(connect(endpoints));
}

export class EtcdStore implements Store {
  private readonly client: Etcd3;
  private readonly watches: EtcdWatches;

  constructor(client: Etcd3) {
    this.client = client;
    this.watches = new EtcdWatches(client, (revision) => this.compactedAt(revision));
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const res = await this.txn(key, { mod_revision: 0, result: 'Equal' }, { request_put: { key: Buffer.from(key), value: Buffer.from(value) } });
    if (!res.succeeded) throw alreadyExists(key, currentOf(res, key)!);
    const revision = Number(res.header.revision);
    return { key, value, createRevision: revision, modRevision: revision };
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const res = await this.call(key, () => this.client.kv.range({ key: Buffer.from(key) }));
    const kv = res.kvs[0];
    return kv ? toKeyValue(kv) : undefined;
  }

  async update(key: string, value: string, ifRevision: number): Promise<KeyValue> {
    const put: IRequestOp = { request_put: { key: Buffer.from(key), value: Buffer.from(value), prev_kv: true } };
    const res = await this.txn(key, { mod_revision: ifRevision, result: 'Equal' }, put);
    if (!res.succeeded) throw failedWrite(res, key, ifRevision);
    const prev = res.responses[0]!.response_put.prev_kv;
    return { key, value, createRevision: Number(prev.create_revision), modRevision: Number(res.header.revision) };
  }

  async delete(key: string, ifRevision?: number): Promise<KeyValue> {
    const exists = ifRevision === undefined ? { mod_revision: 0, result: 'Greater' as const } : { mod_revision: ifRevision, result: 'Equal' as const };
    const res = await this.txn(key, exists, { request_delete_range: { key: Buffer.from(key), prev_kv: true } });
    if (!res.succeeded) throw failedWrite(res, key, ifRevision);
    const prev = res.responses[0]!.response_delete_range.prev_kvs[0];
    if (!prev) throw notFound(key);
    return { ...toKeyValue(prev), modRevision: Number(res.header.revision) };
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const position = options.continue ? decodeContinue(options.continue) : undefined;
    let revision = position?.revision ?? (options.revision || undefined);
    let start: Buffer = Buffer.from(prefix);
    const after = position && keyAfter(Buffer.from(position.lastKey));
    if (after && Buffer.compare(after, start) > 0) start = after;
    const end = prefixEnd(Buffer.from(prefix));
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const items: KeyValue[] = [];
    for (;;) {
      const want = Math.min(pageSize, limit - items.length);
      const res = await this.range(prefix, { key: start, range_end: end, limit: want, revision: revision ?? 0 });
      revision ??= Number(res.header.revision);
      items.push(...res.kvs.map(toKeyValue));
      const left = Number(res.count) - res.kvs.length;
      if (!res.more || left <= 0) return { items, revision };
      if (items.length >= limit) {
        const lastKey = items[items.length - 1]!.key;
        return { items, revision, continue: encodeContinue({ revision, lastKey }), remaining: left };
      }
      start = keyAfter(res.kvs[res.kvs.length - 1]!.key);
    }
  }

  watch(prefix: string, fromRevision: number): Watch {
    return this.watches.open(prefix, fromRevision);
  }

  async compact(revision: number): Promise<void> {
    if (revision <= (await this.compactRevision())) return;
    await this.call(compactRevisionKey, () =>
      this.client.kv.put({ key: Buffer.from(compactRevisionKey), value: Buffer.from(String(revision)) }),
    );
    try {
      await this.client.kv.compact({ revision, physical: false });
    } catch (err) {
      if (isCompactedError(err)) return; // someone compacted further already
      if (isFutureRevisionError(err)) throw futureRevision(revision, await this.currentRevision());
      throw this.translate(compactRevisionKey, err);
    }
  }

  async currentRevision(): Promise<number> {
    const res = await this.call('', () => this.client.kv.range({ key: Buffer.from(compactRevisionKey), count_only: true }));
    return Number(res.header.revision);
  }

  async close(): Promise<void> {
    this.watches.closeAll();
    this.client.close();
  }

  /** The revision of the newest compaction made through a store (0 if none recorded). */
  private async compactRevision(): Promise<number> {
    const res = await this.call(compactRevisionKey, () => this.client.kv.range({ key: Buffer.from(compactRevisionKey) }));
    return Number(res.kvs[0]?.value.toString('utf8') ?? 0) || 0;
  }

  /** The compact revision if `revision` has been compacted away, else undefined. */
  private async compactedAt(revision: number): Promise<number | undefined> {
    if (revision <= 0) {
      const stored = await this.compactRevision();
      return stored > 0 ? stored : undefined;
    }
    try {
      await this.client.kv.range({ key: Buffer.from(compactRevisionKey), count_only: true, revision });
      return undefined;
    } catch (err) {
      if (isCompactedError(err)) return Math.max(await this.compactRevision(), revision + 1);
      if (isFutureRevisionError(err)) return undefined;
      throw this.translate(compactRevisionKey, err);
    }
  }

  private async range(prefix: string, request: Parameters<Etcd3['kv']['range']>[0]) {
    try {
      return await this.client.kv.range(request);
    } catch (err) {
      const revision = Number(request.revision);
      if (isCompactedError(err)) throw compacted(prefix, revision, (await this.compactedAt(revision)) ?? revision + 1, err);
      if (isFutureRevisionError(err)) throw futureRevision(revision, await this.currentRevision());
      throw this.translate(prefix, err);
    }
  }

  private txn(key: string, compare: { mod_revision: number; result: 'Equal' | 'Greater' }, onSuccess: IRequestOp) {
    return this.call(key, () =>
      this.client.kv.txn({
        compare: [{ key: Buffer.from(key), target: 'Mod', ...compare }],
        success: [onSuccess],
        failure: [{ request_range: { key: Buffer.from(key) } }],
      }),
    );
  }

  private async call<T>(key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.translate(key, err);
    }
  }

  private translate(key: string, err: unknown): Error {
    if (isUnavailableError(err)) return unavailable(key, `etcd: ${(err as Error).message}`, err);
    return new Error(`etcd request for ${key}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** The smallest key after `key`. */
function keyAfter(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.from([0])]);
}

function currentOf(res: ITxnResponse, key: string): KeyValue | undefined {
  const kv = res.responses[0]?.response_range.kvs[0];
  if (kv && kv.key.toString('utf8') !== key) throw new Error(`etcd txn for ${key} answered for another key`);
  return kv ? toKeyValue(kv) : undefined;
}

/** A compare that failed: the key is gone (NotFound) or it moved on (Conflict). */
function failedWrite(res: ITxnResponse, key: string, ifRevision: number | undefined): Error {
  const current = currentOf(res, key);
  if (!current) return notFound(key);
  return conflict(key, ifRevision ?? 0, current);
}
