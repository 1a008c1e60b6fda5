// Holds an exec'd process's output until the process is known to have started (runc wrote its
// pid file), so that runc's own error for a process it could not start is never passed on as the
// process's output. A held stream is paused after each chunk, so little piles up meanwhile; its
// listener stays until the gate opens, because Node resumes a child's paused stdio when the child
// exits (flushStdio), and what flowed then with no listener would be lost.
import { PassThrough, type Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';

const POLL_MS = 5;

interface Held {
  source: Readable;
  out: PassThrough;
  first: Buffer[];
  onData: (chunk: Buffer) => void;
}

export class OutputGate {
  private readonly readPid: () => Promise<number | undefined>;
  private readonly held: Held[] = [];
  private knownPid: number | undefined;
  private state: 'holding' | 'open' | 'discarded' = 'holding';
  private polling = false;

  constructor(readPid: () => Promise<number | undefined>) {
    this.readPid = readPid;
  }

  /** The stream the caller reads in place of `source`. */
  hold(source: Readable): PassThrough {
    const first: Buffer[] = [];
    const onData = (chunk: Buffer): void => {
      first.push(chunk);
      source.pause();
      void this.pollForStart();
    };
    const entry: Held = { source, out: new PassThrough(), first, onData };
    this.held.push(entry);
    source.on('data', onData);
    return entry.out;
  }

  /** The process's pid, once runc wrote it. */
  async pid(): Promise<number | undefined> {
    this.knownPid ??= await this.readPid();
    return this.knownPid;
  }

  /** Passes held and further output on. */
  open(): void {
    if (this.state !== 'holding') return;
    this.state = 'open';
    for (const { source, out, first, onData } of this.held) {
      source.off('data', onData);
      for (const chunk of first) out.write(chunk);
      if (source.readableEnded) {
        out.end();
        continue;
      }
      source.pipe(out);
      source.resume();
    }
  }

  /** Drops everything: the process never started and what came was runc's. */
  discard(): void {
    this.state = 'discarded';
    for (const { source, out, onData } of this.held) {
      source.off('data', onData);
      source.resume();
      out.end();
    }
  }

  /** Whether the process started (runc wrote its pid), once that is known. */
  async started(): Promise<boolean> {
    while (this.state === 'holding' && (await this.pid()) === undefined) await delay(POLL_MS);
    return this.state !== 'discarded';
  }

  private async pollForStart(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    while (this.state === 'holding' && (await this.pid()) === undefined) await delay(POLL_MS);
    this.open();
  }
}
