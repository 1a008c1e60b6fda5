// Watch = the tail of the revision log. A new watcher first replays rows above its start revision
// from the table, page by page, then turns live and receives each write as it commits.
//
//   watch(prefix, from) ─▶ catching up: replay rows id > position ─▶ short page ─▶ live
//                               ▲  (writes meanwhile land in the table;     │
//                               └── this watcher ignores their notices)     ▼
//   write commits ─────────────────────────────────────────────▶ publish ─▶ queue
//
// The handoff is exact because node:sqlite is synchronous: reading the last (short) page and
// turning live happen in one turn of the event loop, and no write can commit inside a turn.
// A write committed before that turn is in the page; one committed after is published live.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AsyncQueue } from '../../util/asyncqueue.ts';
import { compacted, unavailable } from '../errors.ts';
import type { Watch, WatchEvent } from '../store.ts';
import { eventOf, prefixRange } from './events.ts';
import type { KeyRange, RevisionLog } from './log.ts';

const replayPageSize = 1_000;

interface Watcher {
  prefix: string;
  range: KeyRange;
  queue: AsyncQueue<WatchEvent>;
  /** The revision of the last event delivered (or the start revision). */
  position: number;
  live: boolean;
}

export class WatchHub {
  private readonly log: RevisionLog;
  private readonly watchers = new Set<Watcher>();
  private closed = false;

  constructor(log: RevisionLog) {
    this.log = log;
  }

  open(prefix: string, fromRevision: number): Watch {
    const watcher: Watcher = {
      prefix,
      range: prefixRange(prefix),
      queue: new AsyncQueue<WatchEvent>(),
      position: fromRevision,
      live: false,
    };
    if (this.closed) {
      watcher.queue.end(unavailable(prefix, 'the store is closed'));
    } else {
      this.watchers.add(watcher);
      void this.catchUp(watcher);
    }
    return { events: watcher.queue, close: () => this.end(watcher) };
  }

  /** Called after a write commits. */
  publish(event: WatchEvent): void {
    const revision = event.kv.modRevision;
    for (const watcher of this.watchers) {
      if (!watcher.live || revision <= watcher.position || !event.kv.key.startsWith(watcher.prefix)) continue;
      watcher.queue.push(event);
      watcher.position = revision;
    }
  }

  /** Watchers still replaying below `revision` would miss removed rows: they fail instead. */
  compacted(revision: number): void {
    for (const watcher of this.watchers) {
      if (!watcher.live && watcher.position < revision) {
        this.end(watcher, compacted(watcher.prefix, watcher.position + 1, revision));
      }
    }
  }

  closeAll(): void {
    this.closed = true;
    for (const watcher of this.watchers) this.end(watcher);
  }

  private end(watcher: Watcher, error?: Error): void {
    this.watchers.delete(watcher);
    watcher.queue.end(error);
  }

  private async catchUp(watcher: Watcher): Promise<void> {
    try {
      for (;;) {
        if (!this.watchers.has(watcher)) return;
        const compactRevision = this.log.compactRevision();
        if (watcher.position < compactRevision) {
          this.end(watcher, compacted(watcher.prefix, watcher.position + 1, compactRevision));
          return;
        }
        const rows = this.log.replay(watcher.range, watcher.position, replayPageSize);
        for (const row of rows) {
          watcher.queue.push(eventOf(row));
          watcher.position = row.id;
        }
        if (rows.length < replayPageSize) {
          watcher.live = true;
          return;
        }
        await nextTurn();
      }
    } catch (err) {
      this.end(watcher, unavailable(watcher.prefix, `watch ${watcher.prefix}: replaying the log failed: ${(err as Error).message}`, err));
    }
  }
}
