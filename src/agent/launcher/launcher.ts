// The agent's short-lived child processes (runc, conmon, CNI plugins, mount…), started by a small
// helper process (helper.pl, on Debian's perl-base) instead of by the agent itself: forking the
// agent copies its page tables, a stopped event loop of 6–12 ms per process on these machines,
// for every pod of the node and the API server in the same process. The helper forks in ~0.5 ms.
//
//   launch(argv) ──frame──▶ helper (one per agent, started on first use) ──fork+exec──▶ process
//                ◀─frame── exit code, stdout, stderr (or, in sync mode, conmon's first line on fd 3)
//
// Processes that stream (exec, attach, port-forward relays) stay children of the agent.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:os';
import { FrameReader, requestFrame, type Answer } from './frames.ts';

export interface LaunchOptions {
  /** Bytes for the process's stdin. */
  input?: string | Buffer;
  /** Added to the agent's environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** The process is killed (SIGKILL) past it. */
  timeoutMs?: number;
}

export interface Launched {
  /** null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
}

/** A non-zero exit of run(): what execFile's error carries, for callers that read stderr. */
export class LaunchError extends Error {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;

  constructor(argv: string[], result: Launched) {
    const stderr = result.stderr.toString();
    super(`${argv.join(' ')}: ${stderr.trim() || (result.signal ? `killed by ${result.signal}` : `exit status ${result.code}`)}`);
    this.name = 'LaunchError';
    this.code = result.code;
    this.signal = result.signal;
    this.stdout = result.stdout.toString();
    this.stderr = stderr;
  }
}

const script = readFileSync(join(import.meta.dirname, 'helper.pl'), 'utf8');
const signalNames = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

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

  request(mode: 'run' | 'sync3', argv: string[], options: LaunchOptions): Promise<Answer> {
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

function current(): Helper {
  helper ??= new Helper(() => { helper = undefined; });
  return helper;
}

/** Runs argv to its end. */
export async function launch(argv: string[], options: LaunchOptions = {}): Promise<Launched> {
  const answer = await current().request('run', argv, options);
  return { code: answer.code < 0 ? null : answer.code, signal: signalNames.get(answer.signal) ?? null, stdout: answer.stdout, stderr: answer.stderr };
}

/** Runs argv to its end; a non-zero exit rejects with a LaunchError. */
export async function run(argv: string[], options: LaunchOptions = {}): Promise<{ stdout: string; stderr: string }> {
  const result = await launch(argv, options);
  if (result.code !== 0) throw new LaunchError(argv, result);
  return { stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

/**
 * Starts argv with a pipe on fd 3 and resolves with the first line written there (undefined
 * when the pipe closed without one) and what the process wrote on stderr until then.
 */
export async function launchSynced(argv: string[], options: LaunchOptions = {}): Promise<{ line: string | undefined; stderr: string }> {
  const answer = await current().request('sync3', argv, options);
  return { line: answer.sync === '' ? undefined : answer.sync, stderr: answer.stderr.toString() };
}

/** Ends the helper (the processes it started go on); for tests and shutdown. */
export async function stopLauncher(): Promise<void> {
  await helper?.stop();
}
