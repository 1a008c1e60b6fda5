// The real kubectl, a pinned minor version, pointed at a test server: run-to-completion calls
// that return {code, stdout, stderr}, and long-running ones (get -w, wait) read line by line.
import { spawn } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Inbox } from './wait.ts';

export type KubectlVersion = '1.27' | '1.32' | '1.33';

/** What kubectl needs from a server; TestServer has it. */
export interface KubectlTarget {
  readonly kubeconfig: string;
  readonly cacheDir: string;
}

export interface KubectlOptions {
  /** Written to kubectl's stdin (manifests go with `-f -`). */
  input?: string;
  /** kubectlSpawn: leave stdin open after `input`, for the caller to write to and end. */
  openStdin?: boolean;
  version?: KubectlVersion;
  timeoutMs?: number;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

const defaultTimeoutMs = 30_000;

export async function kubectl(target: KubectlTarget, args: string[], options: KubectlOptions = {}): Promise<KubectlResult> {
  const running = kubectlSpawn(target, args, options);
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void running.kill();
  }, timeoutMs);
  const result = await running.exited.finally(() => clearTimeout(timer));
  if (timedOut) {
    throw new Error(
      `kubectl ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
  return result;
}

/** A kubectl that keeps running; its output lines arrive in inboxes as they are printed. */
export interface KubectlProcess {
  /** kubectl's stdin: ended at once unless openStdin. */
  readonly stdin: NodeJS.WritableStream;
  readonly pid: number | undefined;
  /** stdout lines not taken yet, in order. */
  readonly stdoutLines: Inbox<string>;
  readonly stderrLines: Inbox<string>;
  /** Resolves when kubectl exits by itself (or after kill). */
  readonly exited: Promise<KubectlResult>;
  /** SIGTERM, then the collected output. */
  kill(): Promise<KubectlResult>;
}

export function kubectlSpawn(target: KubectlTarget, args: string[], options: KubectlOptions = {}): KubectlProcess {
  const { binary, argv, env } = kubectlCommand(target, args, options.version);
  const child = spawn(binary, argv, { stdio: ['pipe', 'pipe', 'pipe'], env });
  const stdoutLines = new Inbox<string>();
  const stderrLines = new Inbox<string>();
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  createInterface({ input: child.stdout }).on('line', (line) => stdoutLines.push(line));
  createInterface({ input: child.stderr }).on('line', (line) => stderrLines.push(line));
  child.stdin.on('error', () => {}); // kubectl may exit before reading all of its input
  if (options.openStdin) child.stdin.write(options.input ?? '');
  else child.stdin.end(options.input ?? '');
  const exited = new Promise<KubectlResult>((resolveExit, reject) => {
    child.once('error', (err) => reject(new Error(`cannot run ${binary}: ${err.message}`)));
    child.once('close', (code, signal) => {
      const ended = new Error(`kubectl ${args.join(' ')} exited (${signal ?? `code ${code}`}); stderr:\n${stderr}`);
      stdoutLines.close(ended);
      stderrLines.close(ended);
      resolveExit({ code: code ?? 128, stdout, stderr });
    });
  });
  return {
    stdin: child.stdin,
    pid: child.pid,
    stdoutLines,
    stderrLines,
    exited,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** `kubectl get ... -w`: the watch is started with the args given and read line by line. */
export function kubectlWatch(target: KubectlTarget, getArgs: string[], options: KubectlOptions = {}): KubectlProcess {
  return kubectlSpawn(target, ['get', ...getArgs, '--watch'], options);
}

/** The binary, arguments and environment that point a kubectl at the target (and nowhere else). */
export function kubectlCommand(target: KubectlTarget, args: string[], version: KubectlVersion = '1.32'): { binary: string; argv: string[]; env: NodeJS.ProcessEnv } {
  const env = { ...process.env };
  delete env.KUBECONFIG;
  return { binary: kubectlBinary(version), argv: ['--kubeconfig', target.kubeconfig, '--cache-dir', target.cacheDir, ...args], env };
}

const binaries = new Map<KubectlVersion, string>();

/** kubectl.1.NN beside the real path of the `kubectl` on PATH (the gcloud layout of these machines). */
export function kubectlBinary(version: KubectlVersion): string {
  const known = binaries.get(version);
  if (known) return known;
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'kubectl'))
    .find((candidate) => isFile(candidate));
  if (!onPath) throw new Error('kubectl is not on PATH');
  const binary = join(dirname(realpathSync(onPath)), `kubectl.${version}`);
  if (!isFile(binary)) throw new Error(`${binary} does not exist (kubectl ${version} is needed)`);
  binaries.set(version, binary);
  return binary;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
