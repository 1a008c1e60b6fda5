// Port-forward throughput: the same download client (curl, one process per connection, bodies
// dropped) through `kubectl port-forward` and straight to the pod's IP from the node, 1 and 10
// connections, alternating so that both see the same machine load; MB/s from the median of the
// runs. (A Node client was tried first: at ≈ 200 MB/s it was itself the bound of the direct path.)
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { kubectlSpawn, type KubectlTarget, type KubectlVersion } from '../../test/support/kubectl.ts';

export interface ThroughputResult {
  connections: number;
  /** MB/s (10^6 bytes), median of the runs. */
  portForward: number;
  direct: number;
  runs: number;
  /** CPU milliseconds per MB forwarded, over all runs: the server process (API server and agent) and kubectl. */
  cpuPerMB: { server: number; kubectl: number };
}

export async function measurePortForward(target: KubectlTarget & { pid: number | undefined }, version: KubectlVersion, podIp: string, file: string, runs: number): Promise<ThroughputResult[]> {
  const localPort = await freePort();
  const forward = kubectlSpawn(target, ['port-forward', 'pod/web', `${localPort}:8080`], { version });
  try {
    await forward.stdoutLines.take('port-forward ready', (line) => line.startsWith(`Forwarding from 127.0.0.1:${localPort}`), 30_000);
    const results: ThroughputResult[] = [];
    for (const connections of [1, 10]) {
      const forwarded: number[] = [];
      const direct: number[] = [];
      const cpu = { server: 0, kubectl: 0, megabytes: 0 };
      for (let i = 0; i < runs; i++) {
        const before = await Promise.all([cpuMs(target.pid), cpuMs(forward.pid)]);
        const run = await download(`http://127.0.0.1:${localPort}/${file}`, connections);
        const after = await Promise.all([cpuMs(target.pid), cpuMs(forward.pid)]);
        forwarded.push(run.megabytes / run.seconds);
        cpu.server += after[0] - before[0];
        cpu.kubectl += after[1] - before[1];
        cpu.megabytes += run.megabytes;
        const straight = await download(`http://${podIp}:8080/${file}`, connections);
        direct.push(straight.megabytes / straight.seconds);
      }
      const cpuPerMB = { server: cpu.server / cpu.megabytes, kubectl: cpu.kubectl / cpu.megabytes };
      results.push({ connections, portForward: median(forwarded), direct: median(direct), runs, cpuPerMB });
    }
    return results;
  } finally {
    await forward.kill();
  }
}

/** N concurrent curl downloads of `url`: all their bytes, and the time to the last one's end. */
async function download(url: string, connections: number): Promise<{ megabytes: number; seconds: number }> {
  const started = performance.now();
  const sizes = await Promise.all(Array.from({ length: connections }, () => curl(url)));
  return { megabytes: sizes.reduce((a, b) => a + b, 0) / 1e6, seconds: (performance.now() - started) / 1000 };
}

/** User and system CPU time of a process so far (/proc/PID/stat, in clock ticks of 10 ms). */
async function cpuMs(pid: number | undefined): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Bytes of one download. */
async function curl(url: string): Promise<number> {
  const child = spawn('curl', ['--silent', '--show-error', '--fail', '--output', '/dev/null', '--write-out', '%{size_download}', url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (out += text));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`curl ${url} failed (${code}): ${out}`);
  return Number(out);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
