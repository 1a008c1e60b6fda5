// ExecSync of the CRI over Runtime.exec: runs a command in a container to its end and returns its
// whole output, for exec probes and exec lifecycle hooks. Past the timeout the process is killed
// and the call fails with DeadlineExceeded, which the prober reports as the kubelet does
// (`command "…" timed out`).
import { setTimeout as sleep } from 'node:timers/promises';
import { RuntimeError, type ExecSyncResult, type Runtime } from '../runtime.ts';

/** Resolves after `ms` unless `signal` aborts first; injected so that tests need not wait. */
export type ExecTimer = (ms: number, signal: AbortSignal) => Promise<void>;

const realTimer: ExecTimer = (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined);

export async function execSync(runtime: Runtime, containerId: string, cmd: string[], timeoutMs: number, timer: ExecTimer = realTimer): Promise<ExecSyncResult> {
  const proc = await runtime.exec(containerId, { cmd });
  const stdout = collect(proc.stdout);
  const stderr = proc.stderr === undefined ? Promise.resolve(Buffer.alloc(0)) : collect(proc.stderr);
  const cancel = new AbortController();
  const deadline = timer(timeoutMs, cancel.signal).then(() => 'deadline' as const);
  const outcome = await Promise.race([proc.exited, deadline]).finally(() => cancel.abort());
  if (outcome === 'deadline') {
    proc.kill();
    await proc.exited.catch(() => undefined);
    throw new RuntimeError('DeadlineExceeded', `command ${goQuote(cmd.join(' '))} timed out`);
  }
  return { exitCode: outcome, stdout: await stdout, stderr: await stderr };
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** Go's %q for the printable strings commands are made of. */
function goQuote(text: string): string {
  return JSON.stringify(text);
}
