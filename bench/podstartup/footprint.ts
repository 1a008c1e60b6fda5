// 100 pods on one node: the memory of the server process (API server, controllers and the
// embedded agent), and the host overhead per pod — the proportional set size (PSS) of its conmon
// shims and its infra process, which is what each pod costs beyond its own containers.
import { readdir, readFile } from 'node:fs/promises';
import { resourcePath } from '../../src/client/paths.ts';
import type { RestClient } from '../../src/client/rest.ts';
import { benchPod } from './startup.ts';

export interface FootprintResult {
  pods: number;
  serverRssMiB: number;
  /** conmon + catatonit PSS of all pods, divided by the pod count. */
  overheadPerPodMiB: number;
}

const podsPath = resourcePath({ version: 'v1', resource: 'pods', namespace: 'default' });

export async function measureFootprint(client: RestClient, serverPid: number, dataDir: string, count: number): Promise<FootprintResult> {
  const names = Array.from({ length: count }, (_, i) => `footprint-${i}`);
  for (let i = 0; i < count; i += 10) await Promise.all(names.slice(i, i + 10).map((name) => client.create(podsPath, benchPod(name, 1))));
  await waitAllReady(client, count);
  const serverRssMiB = (await statusKiB(serverPid, 'VmRSS')) / 1024;
  const overhead = await shimPssKiB(dataDir);
  for (const name of names) await client.delete(`${podsPath}/${name}`);
  await waitNone(client);
  return { pods: count, serverRssMiB, overheadPerPodMiB: overhead / 1024 / count };
}

async function waitAllReady(client: RestClient, count: number): Promise<void> {
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; await sleep(500)) {
    const list = await client.list<{ status?: { conditions?: { type: string; status: string }[] } }>(podsPath, { labelSelector: 'bench=podstartup' });
    const ready = list.items.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    if (ready >= count) return;
  }
  throw new Error(`${count} pods were not Ready within 5 minutes`);
}

async function waitNone(client: RestClient): Promise<void> {
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; await sleep(500)) {
    if ((await client.list(podsPath, { labelSelector: 'bench=podstartup' })).items.length === 0) return;
  }
  throw new Error('bench pods were not gone within 5 minutes');
}

/** PSS of this runtime's conmon shims (their command lines name the data dir) and of the infra processes they run. */
async function shimPssKiB(dataDir: string): Promise<number> {
  const processes = await Promise.all((await readdir('/proc')).filter((p) => /^\d+$/.test(p)).map(async (pid) => ({
    pid,
    cmdline: await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''),
    ppid: (await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.split(' ')[1] ?? '',
  })));
  const shims = new Set(processes.filter((p) => p.cmdline.startsWith('/usr/bin/conmon') && p.cmdline.includes(dataDir)).map((p) => p.pid));
  const infra = processes.filter((p) => p.cmdline.startsWith('/usr/bin/catatonit') && shims.has(p.ppid)).map((p) => p.pid);
  let total = 0;
  for (const pid of [...shims, ...infra]) total += await rollupKiB(pid, 'Pss');
  return total;
}

async function rollupKiB(pid: string, field: string): Promise<number> {
  const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
}

async function statusKiB(pid: number, field: string): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
