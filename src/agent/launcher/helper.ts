// The launcher's helper process: helper.pl on Debian's perl-base, one per agent process, started
// on first use and again after it died (what it was running is then answered as failed). Frames
// go in on its stdin and come back on its stdout (frames.ts); idle, it keeps no process alive.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FrameReader, requestFrame, type Answer, type LaunchOptions, type Mode } from './frames.ts';

const script = readFileSync(join(import.meta.dirname, 'helper.pl'), 'utf8');

class Helper {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, (answer: Answer) => void>();
  private nextId = 1;
  private stopping = false;
  readonly gone: Promise<void>;

  constructor(onGone: () => void) {
    this.child = spawn('perl', ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const reader = new FrameReader();
    this.child.stdout!.on('data', (chunk: Buffer) => {
      for (const answer of reader.push(chunk)) {
        this.pending.get(answer.id)?.(answer);
        this.pending.delete(answer.id);
      }
      this.holdOpen();
    });
    this.gone = new Promise((resolve) => this.child.once('close', () => resolve()));
    void this.gone.then(() => {
      onGone();
      for (const answer of this.pending.values()) answer({ id: 0, code: -1, signal: 0, stdout: Buffer.alloc(0), stderr: Buffer.from('launcher: the helper process ended'), sync: '' });
      this.pending.clear();
    });
    this.child.stdin!.on('error', () => undefined);
    this.holdOpen();
  }

  request(mode: Mode, argv: string[], options: LaunchOptions): Promise<Answer> {
    const id = this.nextId++;
    const answered = new Promise<Answer>((resolve) => this.pending.set(id, resolve));
    this.child.stdin!.write(requestFrame({ id, mode, argv, ...options }));
    this.holdOpen();
    return answered;
  }

  stop(): Promise<void> {
    this.stopping = true;
    this.holdOpen();
    this.child.stdin!.end();
    return this.gone;
  }

  /** An idle helper does not keep the agent's process alive. */
  private holdOpen(): void {
    const streams = [this.child, this.child.stdout, this.child.stdin] as { ref(): void; unref(): void }[];
    for (const s of streams) if (this.pending.size > 0 || this.stopping) s.ref(); else s.unref();
  }
}

let helper: Helper | undefined;

/** Sends one request to the agent's helper, started on first use (again if it died). */
export function helperRequest(mode: Mode, argv: string[], options: LaunchOptions = {}): Promise<Answer> {
  helper ??= new Helper(() => { helper = undefined; });
  return helper.request(mode, argv, options);
}

/** Ends the helper (the processes it started go on); for tests and shutdown. */
export async function stopLauncher(): Promise<void> {
  await helper?.stop();
}
