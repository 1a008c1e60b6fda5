// Wakes a log follower when anything in the log directory changes (inotify: writes, a new
// attempt's file, a rotation's rename), or after a period.
import { watch, type FSWatcher } from 'node:fs';

export class DirectoryChanges {
  private changed = false;
  private wake: (() => void) | undefined;
  private readonly watcher: FSWatcher | undefined;

  constructor(dir: string) {
    try {
      this.watcher = watch(dir, () => this.notify());
      this.watcher.on('error', () => this.notify()); // the period keeps the follower going
    } catch {
      this.watcher = undefined; // unwatchable: the period alone drives the follower
    }
  }

  private notify(): void {
    this.changed = true;
    this.wake?.();
  }

  next(periodMs: number, signal?: AbortSignal): Promise<void> {
    if (this.changed || signal?.aborted) {
      this.changed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wake = undefined;
        this.changed = false;
        resolve();
      };
      const timer = setTimeout(done, periodMs);
      signal?.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  close(): void {
    this.watcher?.close();
  }
}
