// What the node is made of, read once at start the way cAdvisor's MachineInfo feeds the kubelet:
// logical CPUs, MemTotal, the filesystem holding the data directory, and the identity files.
// A missing identity file gives "" (containers and VMs often lack DMI), never a failure.
import { availableParallelism, release } from 'node:os';
import { readFile, statfs } from 'node:fs/promises';

export interface MachineInfo {
  cpus: number;
  /** MemTotal in bytes. */
  memoryBytes: bigint;
  /** Size of the filesystem that holds the data directory, in bytes. */
  filesystemBytes: bigint;
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
}

export async function readMachineInfo(dataDir: string): Promise<MachineInfo> {
  const [meminfo, fs, machineID, systemUUID, bootID, osRelease] = await Promise.all([
    readFile('/proc/meminfo', 'utf8'),
    statfs(dataDir, { bigint: true }).catch((err: Error) => {
      throw new Error(`node capacity: statfs ${dataDir}: ${err.message}`, { cause: err });
    }),
    firstOf(['/etc/machine-id', '/var/lib/dbus/machine-id']),
    firstOf(['/sys/class/dmi/id/product_uuid']),
    firstOf(['/proc/sys/kernel/random/boot_id']),
    firstOf(['/etc/os-release', '/usr/lib/os-release']),
  ]);
  return {
    cpus: availableParallelism(),
    memoryBytes: memTotalBytes(meminfo),
    filesystemBytes: fs.blocks * fs.bsize,
    machineID,
    systemUUID,
    bootID,
    kernelVersion: release(),
    osImage: prettyName(osRelease),
  };
}

/** /proc/meminfo counts in kB that are KiB. */
export function memTotalBytes(meminfo: string): bigint {
  const m = /^MemTotal:\s+(\d+)\s*kB$/m.exec(meminfo);
  if (!m) throw new Error('node capacity: no MemTotal line in /proc/meminfo');
  return BigInt(m[1]!) * 1024n;
}

/** PRETTY_NAME of os-release, unquoted; "Linux" as os-release(5) says when it is absent. */
export function prettyName(osRelease: string): string {
  const m = /^PRETTY_NAME=(.*)$/m.exec(osRelease);
  if (!m) return 'Linux';
  const raw = m[1]!.trim();
  return /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
}

async function firstOf(paths: string[]): Promise<string> {
  for (const path of paths) {
    try {
      return (await readFile(path, 'utf8')).trim();
    } catch {
      // try the next place this file may live
    }
  }
  return '';
}
