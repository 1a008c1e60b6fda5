// A process started in a running container (the CRI's Exec) by `runc exec` in the foreground: runc
// joins the container's namespaces and cgroup, starts the process with the container's config.json
// process (env, user, capabilities) and exits with its code (128+N after signal N).
//
//   no tty:  agent ══pipes══▶ runc exec ══the same fds══▶ process
//   tty:     agent ══pipes══▶ script ══pty══▶ runc exec -t ══pty (the container's devpts)══▶ process
//
// runc passes a terminal on only from a terminal of its own, which Node cannot open: util-linux's
// `script` gives it one (raw, no echo). A resize sets that terminal's size; its SIGWINCH makes
// runc copy the size to the container's terminal.
// runc's own failure (an unknown command…) goes to the same stderr as the process's output. Output
// is held until runc wrote the process's pid file (it writes none when the start failed), so a
// process that never started shows nothing and `exited` rejects with runc's error from its log.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { RuntimeError, type ExecOptions, type ExecProcess, type TerminalSize } from '../runtime.ts';
import type { Runc } from '../conmon/runc.ts';
import { OutputGate } from './output_gate.ts';

export interface RuncExecInput {
  runc: Runc;
  containerId: string;
  options: ExecOptions;
  /** The exec's own directory (pid file, runc log); removed once the process ended. */
  dir: string;
}

const DEFAULT_SIZE: TerminalSize = { width: 80, height: 24 };

export async function runcExec(input: RuncExecInput): Promise<ExecProcess> {
  const { options, dir } = input;
  await mkdir(dir, { recursive: true });
  const pidFile = join(dir, 'pid');
  const argv = runcArgv(input, pidFile);
  const child = options.tty === true ? spawnWithTerminal(argv, options.size ?? DEFAULT_SIZE) : spawn(argv[0]!, argv.slice(1), {
    stdio: [options.stdin === true ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const gate = new OutputGate(() => readPid(pidFile));
  const stdout = gate.hold(child.stdout!);
  const stderr = options.tty === true ? undefined : gate.hold(child.stderr!);
  if (options.tty === true) child.stderr!.resume(); // script itself says nothing worth keeping
  const exited = waitForExit(child, gate, dir).finally(() => rm(dir, { recursive: true, force: true }));
  exited.catch(() => undefined); // the caller may only read the output; the rejection is theirs to see
  return {
    stdin: options.stdin !== true ? undefined : options.tty === true ? terminalInput(child.stdin!, gate) : child.stdin!,
    stdout,
    stderr,
    resize: (size) => (options.tty === true ? resizeTerminal(child, size) : Promise.resolve()),
    exited,
    kill: () => { void killProcess(child, gate); },
  };
}

function runcArgv(input: RuncExecInput, pidFile: string): string[] {
  const { runc, containerId, options, dir } = input;
  return [
    runc.path, '--root', runc.root, '--log', join(dir, 'runc.json'), '--log-format', 'json',
    'exec', ...(options.tty === true ? ['--tty'] : []), '--pid-file', pidFile, containerId, ...options.cmd,
  ];
}

/** script(1) runs runc on a raw terminal of the given size; its own stdio stays pipes. */
function spawnWithTerminal(argv: string[], size: TerminalSize): ChildProcess {
  const command = `stty raw -echo rows ${size.height} cols ${size.width} && exec ${argv.map(shellQuote).join(' ')}`;
  return spawn('script', ['--quiet', '--flush', '--return', '--command', command, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, SHELL: '/bin/sh' },
  });
}

/** The exit code once all output was passed on; runc's error when the process never started. */
async function waitForExit(child: ChildProcess, gate: OutputGate, dir: string): Promise<number> {
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', (err) => reject(new RuntimeError('Failed', `exec: ${err.message}`, { cause: err })));
    child.once('exit', (status, signal) => resolve(status ?? 128 + signalNumber(signal)));
  });
  // runc writes the pid file before it waits for the process: by its exit, no pid file means no start.
  const failure = (await gate.pid()) === undefined ? await runcError(join(dir, 'runc.json')) : undefined;
  if (failure !== undefined) {
    gate.discard();
    await closed;
    throw new RuntimeError('Failed', failure);
  }
  gate.open();
  await closed;
  return code;
}

/** The last error runc logged, e.g. `exec failed: unable to start container process: exec: "x": executable file not found in $PATH`. */
async function runcError(logPath: string): Promise<string | undefined> {
  const text = await readFile(logPath, 'utf8').catch(() => '');
  const errors = text.split('\n').filter((line) => line.trim() !== '').map((line) => {
    try {
      return JSON.parse(line) as { level?: string; msg?: string };
    } catch {
      return { level: 'error', msg: line };
    }
  }).filter((entry) => entry.level === 'error' || entry.level === 'fatal');
  return errors.at(-1)?.msg;
}

async function readPid(pidFile: string): Promise<number | undefined> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  return pid > 0 ? pid : undefined;
}

/** SIGKILL to the process once its pid is known (before, to runc, which then never starts it). */
async function killProcess(child: ChildProcess, gate: OutputGate): Promise<void> {
  const pid = await gate.pid();
  if (pid === undefined) {
    child.kill('SIGKILL');
    return;
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/**
 * Input to a terminal, passed on once the process started: runc sizes the container's terminal
 * only then, and input read before would meet a terminal of size 0x0. Its end is ^D, as a user
 * types it: ending script's stdin would hang the terminals up, and the process could no longer
 * use its terminal.
 */
function terminalInput(scriptStdin: NodeJS.WritableStream, gate: OutputGate): PassThrough {
  const input = new PassThrough();
  void gate.started().then((started) => {
    if (!started) return;
    input.pipe(scriptStdin, { end: false });
    input.once('end', () => scriptStdin.write('\x04'));
  });
  return input;
}

/** Sets the size of the terminal runc reads from (script's child's stdin). */
async function resizeTerminal(child: ChildProcess, size: TerminalSize): Promise<void> {
  const runcPid = await terminalHolder(child);
  if (runcPid === undefined) return;
  await new Promise<void>((resolve) => {
    const stty = spawn('stty', ['-F', `/proc/${runcPid}/fd/0`, 'rows', String(size.height), 'cols', String(size.width)], { stdio: 'ignore' });
    stty.once('close', () => resolve()).once('error', () => resolve());
  });
}

/**
 * runc on script's terminal, once the shell script started became it: before that, the shell's
 * own `stty … rows … cols` could still undo a resize.
 */
async function terminalHolder(child: ChildProcess): Promise<number | undefined> {
  for (let i = 0; i < 200 && child.exitCode === null && child.pid !== undefined; i++) {
    const children = await readFile(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').catch(() => '');
    const pid = Number(children.trim().split(' ')[0]);
    if (pid > 0 && (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim() === 'runc') return pid;
    await delay(10);
  }
  return undefined;
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === null ? 0 : constants.signals[signal];
}
