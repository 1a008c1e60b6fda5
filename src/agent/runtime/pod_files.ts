// The files a sandbox shares with its containers, as CRI-O keeps them under the sandbox's dir:
//
//   sandboxes/ID/hostname      the pod's hostname (the node's with network 'node')
//   sandboxes/ID/resolv.conf   from dnsConfig, else a copy of the node's /etc/resolv.conf
//   sandboxes/ID/shm/          a 64 MiB tmpfs mounted once, bind-mounted as every container's /dev/shm
//                              (with ipc 'node' the node's /dev/shm is used and nothing is mounted)
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { run } from '../launcher/launcher.ts';
import type { PodFiles } from './oci/container_spec.ts';
import { podHostname, withDefaults } from './oci/namespaces.ts';
import type { DnsConfig, PodSandboxConfig } from './runtime.ts';


/** CRI-O's default shm_size. */
const SHM_SIZE = '64m';

export async function createPodFiles(dir: string, config: PodSandboxConfig): Promise<PodFiles> {
  const files = podFilesIn(dir, config);
  await mkdir(dir, { recursive: true });
  await writeFile(files.hostname, `${podHostname(config, hostname())}\n`);
  if (config.dnsConfig !== undefined) await writeFile(files.resolvConf, resolvConf(config.dnsConfig));
  else await copyFile('/etc/resolv.conf', files.resolvConf);
  if (files.shm === join(dir, 'shm')) await mountShm(files.shm);
  return files;
}

export function podFilesIn(dir: string, config: PodSandboxConfig): PodFiles {
  const hostIpc = withDefaults(config.namespaceOptions).ipc === 'node';
  return { hostname: join(dir, 'hostname'), resolvConf: join(dir, 'resolv.conf'), shm: hostIpc ? '/dev/shm' : join(dir, 'shm') };
}

/** Unmounts the pod's shm if it is mounted; the caller removes the directory. */
export async function unmountShm(dir: string): Promise<void> {
  const shm = join(dir, 'shm');
  if (!(await isMountPoint(shm))) return;
  await run(['umount', shm]).catch((err: Error) => {
    throw new Error(`unmounting the pod's /dev/shm ${shm}: ${err.message}`, { cause: err });
  });
}

/** resolv.conf(5) text of a DnsConfig in containerd's order: search, nameservers, options. */
export function resolvConf(dns: DnsConfig): string {
  const lines = dns.searches.length > 0 ? [`search ${dns.searches.join(' ')}`] : [];
  lines.push(...dns.servers.map((s) => `nameserver ${s}`));
  if (dns.options.length > 0) lines.push(`options ${dns.options.join(' ')}`);
  return lines.map((l) => `${l}\n`).join('');
}

async function mountShm(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
  await run(['mount', '-t', 'tmpfs', '-o', `nosuid,nodev,noexec,mode=1777,size=${SHM_SIZE}`, 'shm', path]).catch((err: Error) => {
    throw new Error(`mounting the pod's /dev/shm at ${path}: ${err.message}`, { cause: err });
  });
}

async function isMountPoint(path: string): Promise<boolean> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  return mountinfo.split('\n').some((line) => line.split(' ')[4] === path);
}
