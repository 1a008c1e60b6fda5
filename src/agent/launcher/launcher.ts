// The agent's short-lived child processes (runc, conmon, CNI plugins, iptables…), started by a small
// helper process (helper.pl, on Debian's perl-base) instead of by the agent itself: forking the
// agent copies its page tables, a stopped event loop of 6–12 ms per process on these machines,
// for every pod of the node and the API server in the same process. The helper forks beside it.
//
//   launch(argv) ──frame──▶ helper (one per agent, started on first use) ──fork+exec──▶ process
//                ◀─frame── exit code, stdout, stderr (or, in sync mode, conmon's first line on fd 3)
//
// Processes that stream (exec, attach, port-forward relays) stay children of the agent.
import { constants } from 'node:os';
import type { LaunchOptions } from './frames.ts';
import { helperRequest } from './helper.ts';

const signalNames = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

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

/** Runs argv to its end. */
export async function launch(argv: string[], options: LaunchOptions = {}): Promise<Launched> {
  const answer = await helperRequest('run', argv, options);
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
  const answer = await helperRequest('sync3', argv, options);
  return { line: answer.sync === '' ? undefined : answer.sync, stderr: answer.stderr.toString() };
}
