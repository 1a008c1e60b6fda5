// Store watches on etcd watchers: start at fromRevision + 1 with prev_kv, so that etcd replays
// history and then streams live changes on one stream (no handoff to get wrong on this side).
//
//   open(prefix, from) ─▶ probe: read at `from` compacted? ── yes ─▶ end "Compacted"
//                                 └─ no ─▶ etcd watcher(start = from + 1, prev_kv) ─▶ queue
//
// The probe makes etcd follow the contract's rule (fail when from < compact revision; etcd alone
// fails only when from + 1 < it). etcd3 resubscribes after a disconnect from the last revision
// it saw. If etcd later cancels the watcher (compaction overtook a resubscription), etcd 3.4
// sends an empty reason and etcd3 drops the compact_revision, so the probe decides again.
import type { Etcd3, IKeyValue, Watcher } from 'etcd3';
import { AsyncQueue } from '../../util/asyncqueue.ts';
import { compacted, unavailable } from '../errors.ts';
import type { Watch, WatchEvent } from '../store.ts';
import { isCompactedError, toKeyValue } from './client.ts';

interface OpenWatch {
  prefix: string;
  queue: AsyncQueue<WatchEvent>;
  watcher?: Watcher;
}

/** The compact revision if reading at `revision` is no longer possible, else undefined. */
export type CompactionProbe = (revision: number) => Promise<number | undefined>;

export class EtcdWatches {
  private readonly client: Etcd3;
  private readonly compactedAt: CompactionProbe;
  private readonly watches = new Set<OpenWatch>();
  private closed = false;

  constructor(client: Etcd3, compactedAt: CompactionProbe) {
    this.client = client;
    this.compactedAt = compactedAt;
  }

  open(prefix: string, fromRevision: number): Watch {
    const entry: OpenWatch = { prefix, queue: new AsyncQueue<WatchEvent>() };
    if (this.closed) {
      entry.queue.end(unavailable(prefix, 'the store is closed'));
    } else {
      this.watches.add(entry);
      void this.start(entry, fromRevision);
    }
    return { events: entry.queue, close: () => this.end(entry) };
  }

  closeAll(): void {
    this.closed = true;
    for (const entry of this.watches) this.end(entry);
  }

  private async start(entry: OpenWatch, fromRevision: number): Promise<void> {
    const compactRevision = await this.probe(entry, fromRevision);
    if (!this.watches.has(entry) || compactRevision === null) return;
    if (compactRevision !== undefined) {
      this.end(entry, compacted(entry.prefix, fromRevision + 1, compactRevision));
      return;
    }
    const start = fromRevision + 1;
    const watcher = this.client.watch().prefix(entry.prefix).startRevision(String(start)).withPreviousKV().watcher();
    entry.watcher = watcher;
    watcher.on('put', (kv, prev) => entry.queue.push(putEvent(kv, prev)));
    watcher.on('delete', (kv, prev) => entry.queue.push(deleteEvent(kv, prev)));
    watcher.on('end', () => this.end(entry));
    watcher.on('error', (err) => void this.fail(entry, start, err));
  }

  /** The compaction probe; null when it failed (the watch has then ended with the failure). */
  private async probe(entry: OpenWatch, revision: number): Promise<number | undefined | null> {
    try {
      return await this.compactedAt(revision);
    } catch (err) {
      this.end(entry, unavailable(entry.prefix, `etcd watch of ${entry.prefix} from ${revision + 1}: ${(err as Error).message}`, err));
      return null;
    }
  }

  private async fail(entry: OpenWatch, start: number, err: Error): Promise<void> {
    const compactRevision = isCompactedError(err) ? start : await this.probe(entry, start - 1);
    if (compactRevision === null) return;
    if (compactRevision !== undefined) {
      this.end(entry, compacted(entry.prefix, start, compactRevision, err));
    } else {
      this.end(entry, unavailable(entry.prefix, `etcd watch of ${entry.prefix} from ${start} failed: ${err.message}`, err));
    }
  }

  private end(entry: OpenWatch, error?: Error): void {
    if (!this.watches.delete(entry)) return;
    entry.queue.end(error);
    const watcher = entry.watcher;
    if (!watcher) return;
    watcher.removeAllListeners();
    watcher.on('error', () => {}); // a late error of a cancelled watcher has no one to tell
    watcher.cancel().catch(() => {});
  }
}

function putEvent(kv: IKeyValue, prev: IKeyValue | undefined): WatchEvent {
  return prev ? { type: 'put', kv: toKeyValue(kv), prev: toKeyValue(prev) } : { type: 'put', kv: toKeyValue(kv) };
}

/** etcd's delete event has an empty value; the contract's carries the deleted value, as delete() returns it. */
function deleteEvent(kv: IKeyValue, prev: IKeyValue | undefined): WatchEvent {
  const key = kv.key.toString('utf8');
  const before = prev ? toKeyValue(prev) : { key, value: '', createRevision: 0, modRevision: 0 };
  return { type: 'delete', kv: { ...before, modRevision: Number(kv.mod_revision) }, prev: before };
}
