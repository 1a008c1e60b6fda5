// The exec probe: the command runs in the container (runc exec) within the timeout; exit 0 is
// success, any other code a failure whose output (stdout then stderr, at most 10 KiB) is the
// event's text. A command that times out, or cannot start, fails with the runtime's words.
import { execSync } from '../runtime/exec/exec_sync.ts';
import { RuntimeError, type Runtime } from '../runtime/runtime.ts';
import type { ProbeOutcome } from './outcome.ts';

const maxOutputBytes = 10 * 1024;

export async function execProbe(runtime: Runtime, containerId: string, cmd: string[], timeoutMs: number): Promise<ProbeOutcome> {
  try {
    const { exitCode, stdout, stderr } = await execSync(runtime, containerId, cmd, timeoutMs);
    const output = Buffer.concat([stdout, stderr]).subarray(0, maxOutputBytes).toString('utf8');
    return { result: exitCode === 0 ? 'Success' : 'Failure', output };
  } catch (err) {
    if (!(err instanceof RuntimeError)) throw err;
    if (err.code === 'DeadlineExceeded') return { result: 'Failure', output: err.message };
    if (err.code === 'Failed') return { result: 'Failure', output: `OCI runtime exec failed: ${err.message}: unknown` };
    throw err;
  }
}
