// The files a sandbox shares with its containers, as CRI-O keeps them under the sandbox's dir:
//
//   sandboxes/ID/hostname      the pod's hostname (the node's with network 'node')
//   sandboxes/ID/resolv.conf   from dnsConfig, else a copy of the node's /etc/resolv.conf
//   sandboxes/ID/shm/          a 64 MiB tmpfs mounted once, bind-mounted as every container's /dev/shm
//                              (with ipc 'node' the node's /dev/shm is used and nothing is mounted)
//   sandboxes/ID/netns         the pod's network namespace, pinned by a bind mount before the infra
//                              process joins it (network 'pod' only), so that CNI can run meanwhile
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { mount, newNetworkNamespace, unmount } from '../launcher/syscalls.ts';
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
  await Promise.all([
    files.shm === join(dir, 'shm') ? mountShm(files.shm) : undefined,
    files.netns === undefined ? undefined : pinNetworkNamespace(files.netns),
  ]);
  return files;
}

export function podFilesIn(dir: string, config: PodSandboxConfig): PodFiles & { netns?: string } {
  const options = withDefaults(config.namespaceOptions);
  const files = { hostname: join(dir, 'hostname'), resolvConf: join(dir, 'resolv.conf'), shm: options.ipc === 'node' ? '/dev/shm' : join(dir, 'shm') };
  return options.network === 'pod' ? { ...files, netns: join(dir, 'netns') } : files;
}

/** Unmounts the pod's shm and network namespace where mounted; the caller removes the directory. */
export async function unmountPodFiles(dir: string): Promise<void> {
  for (const [path, what] of [[join(dir, 'shm'), '/dev/shm'], [join(dir, 'netns'), 'network namespace']] as const) {
    await unmount(path).catch((err: Error) => {
      throw new Error(`unmounting the pod's ${what}: ${err.message}`, { cause: err });
    });
  }
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
  await mount({ source: 'shm', target: path, fstype: 'tmpfs', flags: ['nosuid', 'nodev', 'noexec'], data: `mode=1777,size=${SHM_SIZE}` }).catch((err: Error) => {
    throw new Error(`mounting the pod's /dev/shm: ${err.message}`, { cause: err });
  });
}

/** A new network namespace kept by a bind mount on path. */
async function pinNetworkNamespace(path: string): Promise<void> {
  await writeFile(path, '');
  await newNetworkNamespace(path).catch((err: Error) => {
    throw new Error(`pinning the pod's network namespace: ${err.message}`, { cause: err });
  });
}
