// The lower bound: the same pods made by hand with runc alone — an infra container (catatonit)
// and busybox containers joining its namespaces — from bundles prepared ahead (config.json from
// the runtime's own spec functions, pod files written, rootfs ready). Timed: `runc run -d` of
// the infra, then of the containers side by side, as the agent creates them. No conmon, no
// network, no API, no status.
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureInfraRootfs } from '../../src/agent/runtime/oci/bundle.ts';
import { containerSpec } from '../../src/agent/runtime/oci/container_spec.ts';
import { readHostHardLimits } from '../../src/agent/runtime/oci/host_limits.ts';
import { sandboxSpec } from '../../src/agent/runtime/oci/sandbox_spec.ts';
import { createPodFiles, unmountPodFiles } from '../../src/agent/runtime/pod_files.ts';
import type { PodSandboxConfig } from '../../src/agent/runtime/runtime.ts';
import { summarize, type Summary } from '../api/stats.ts';

const run = promisify(execFile);
const cgroupParent = '/peapod-bench-raw';
const hostLimits = readHostHardLimits();

export interface RawResult {
  containers: number;
  mode: 'sequential' | 'concurrent';
  startup: Summary;
}

interface PreparedPod {
  name: string;
  dir: string;
  config: PodSandboxConfig;
}

export async function measureRawRunc(containers: number, mode: 'sequential' | 'concurrent', count: number): Promise<RawResult> {
  const root = await mkdtemp(join(tmpdir(), 'peapod-bench-raw-'));
  const runcRoot = join(root, 'runc');
  const pods: PreparedPod[] = [];
  try {
    const infraRootfs = await ensureInfraRootfs(join(root, 'infra-rootfs'), '/usr/bin/catatonit');
    const rootfs = await busyboxRootfs(join(root, 'rootfs'));
    for (let i = 0; i < count; i++) pods.push(await preparePod(root, `raw-${containers}-${mode}-${i}`, infraRootfs));
    const start = (pod: PreparedPod) => startPod(runcRoot, pod, rootfs, containers);
    const samples = mode === 'sequential' ? await sequentially(pods, start) : await Promise.all(pods.map(start));
    return { containers, mode, startup: summarize(samples) };
  } finally {
    await cleanUp(runcRoot, pods);
    await rm(root, { recursive: true, force: true });
  }
}

async function sequentially<T>(items: T[], fn: (item: T) => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (const item of items) out.push(await fn(item));
  return out;
}

async function preparePod(root: string, name: string, infraRootfs: string): Promise<PreparedPod> {
  const dir = join(root, name);
  const config: PodSandboxConfig = { metadata: { name, uid: name, namespace: 'bench', attempt: 0 }, logDirectory: join(dir, 'logs') };
  await mkdir(join(dir, 'infra'), { recursive: true });
  const spec = sandboxSpec({ config, rootfsPath: infraRootfs, cgroupsPath: `${cgroupParent}/${name}/infra`, hostLimits });
  await writeFile(join(dir, 'infra', 'config.json'), JSON.stringify(spec));
  await createPodFiles(join(dir, 'files'), config);
  return { name, dir, config };
}

/** Milliseconds from the infra's `runc run` to the last container's `runc run` returning. */
async function startPod(runcRoot: string, pod: PreparedPod, rootfs: string, containers: number): Promise<number> {
  const t0 = performance.now();
  const pidFile = join(pod.dir, 'infra.pid');
  await runDetached(['--root', runcRoot, 'run', '-d', '--pid-file', pidFile, '-b', join(pod.dir, 'infra'), `${pod.name}-infra`]);
  const infraPid = Number(await readFile(pidFile, 'utf8'));
  await Promise.all(Array.from({ length: containers }, (_, c) => startContainer(runcRoot, pod, rootfs, infraPid, `c${c}`)));
  return performance.now() - t0;
}

async function startContainer(runcRoot: string, pod: PreparedPod, rootfs: string, infraPid: number, name: string): Promise<void> {
  const bundle = join(pod.dir, name);
  const podFiles = { hostname: join(pod.dir, 'files', 'hostname'), resolvConf: join(pod.dir, 'files', 'resolv.conf'), shm: join(pod.dir, 'files', 'shm') };
  const spec = containerSpec({
    config: { metadata: { name, attempt: 0 }, rootfsPath: rootfs, command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'], logPath: '', security: { readonlyRootfs: true } },
    infraPid, namespaceOptions: { network: 'pod', ipc: 'pod', pid: 'container' }, podFiles,
    cgroupsPath: `${cgroupParent}/${pod.name}/${name}`, hostLimits, arch: process.arch, hostname: pod.name,
  });
  await mkdir(bundle, { recursive: true });
  await writeFile(join(bundle, 'config.json'), JSON.stringify(spec));
  await runDetached(['--root', runcRoot, 'run', '-d', '-b', bundle, `${pod.name}-${name}`]);
}

/** `runc run -d`: the container keeps runc's stdio, so it gets none (a pipe would never close). */
function runDetached(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('runc', args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`runc ${args.join(' ')}: exit ${code}`))));
  });
}

async function busyboxRootfs(dir: string): Promise<string> {
  await mkdir(join(dir, 'bin'), { recursive: true });
  for (const d of ['proc', 'dev', 'sys', 'tmp', 'etc']) await mkdir(join(dir, d), { recursive: true });
  await copyFile('/usr/bin/busybox', join(dir, 'bin', 'busybox'));
  for (const applet of ['sh', 'sleep']) await symlink('busybox', join(dir, 'bin', applet));
  return dir;
}

async function cleanUp(runcRoot: string, pods: PreparedPod[]): Promise<void> {
  const { stdout } = await run('runc', ['--root', runcRoot, 'list', '-q']).catch(() => ({ stdout: '' }));
  // Containers before their infra, whose PID namespace they may still be leaving.
  const ids = stdout.split('\n').filter(Boolean).sort((a, b) => Number(a.endsWith('-infra')) - Number(b.endsWith('-infra')));
  for (const id of ids) await run('runc', ['--root', runcRoot, 'delete', '-f', id]).catch(() => undefined);
  for (const pod of pods) await unmountPodFiles(join(pod.dir, 'files'));
  await run('sh', ['-c', `for h in /sys/fs/cgroup/*; do find "$h${cgroupParent}" -depth -type d -exec rmdir {} + 2>/dev/null; done; true`]);
}
