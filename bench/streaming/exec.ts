// Exec round trip: `kubectl exec web -- true` from spawn to exit, beside `runc exec` of the same
// container (what the agent itself runs) and `kubectl get pod web` (kubectl's own start and one
// API round trip, the part of an exec that is not the exec), alternating run by run.
import { spawn } from 'node:child_process';
import { kubectlCommand, type KubectlTarget, type KubectlVersion } from '../../test/support/kubectl.ts';
import { summarize, type Summary } from '../api/stats.ts';

export interface ExecResult {
  kubectlExec: Summary;
  runcExec: Summary;
  kubectlGet: Summary;
}

export async function measureExec(target: KubectlTarget, version: KubectlVersion, runc: { root: string; containerId: string }, runs: number): Promise<ExecResult> {
  const exec = kubectlCommand(target, ['exec', 'web', '--', 'true'], version);
  const get = kubectlCommand(target, ['get', 'pod', 'web', '-o', 'name'], version);
  const samples = { kubectlExec: [] as number[], runcExec: [] as number[], kubectlGet: [] as number[] };
  for (let i = 0; i < runs; i++) {
    samples.kubectlExec.push(await timed(exec.binary, exec.argv, exec.env));
    samples.runcExec.push(await timed('runc', ['--root', runc.root, 'exec', runc.containerId, 'true']));
    samples.kubectlGet.push(await timed(get.binary, get.argv, get.env));
  }
  return { kubectlExec: summarize(samples.kubectlExec), runcExec: summarize(samples.runcExec), kubectlGet: summarize(samples.kubectlGet) };
}

/** Milliseconds from spawn to exit; a failure is an error, not a sample. */
async function timed(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`);
  return performance.now() - started;
}
