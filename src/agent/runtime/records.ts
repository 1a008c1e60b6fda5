// What OciRuntime keeps on disk so that a runtime opened later over the same stateDir can adopt
// running pods: one JSON record per sandbox and per process, written atomically (tmp + rename).
//
//   sandboxes/ID/sandbox.json    the PodSandboxConfig
//   containers/ID/process.json   ProcessRecord (the infra process has the sandbox's id)
//
// Everything else is read from where it already is: exits/ID from conmon, `runc state`.
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerConfig, ContainerMetadata, PodSandboxConfig } from './runtime.ts';

/** How a container's stdio was set up at its creation (attach follows it). */
export type ContainerStdio = Pick<ContainerConfig, 'stdin' | 'stdinOnce' | 'tty'>;

/** One process run through conmon: an app container or a sandbox's infra container. */
export interface ProcessRecord {
  id: string;
  sandboxId: string;
  metadata: ContainerMetadata;
  logPath: string;
  createdAt: Date;
  startedAt?: Date;
  pid: number;
  /** What stopContainer sends before SIGKILL; absent: SIGTERM. */
  stopSignal?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Absent for the infra process and for records written before it was kept. */
  stdio?: ContainerStdio;
}

const SANDBOX_FILE = 'sandbox.json';
const PROCESS_FILE = 'process.json';

export function writeSandboxRecord(dir: string, config: PodSandboxConfig): Promise<void> {
  return writeAtomically(join(dir, SANDBOX_FILE), JSON.stringify(config));
}

export function writeProcessRecord(dir: string, record: ProcessRecord): Promise<void> {
  return writeAtomically(join(dir, PROCESS_FILE), JSON.stringify(record));
}

/** Sandbox configs by id; a directory without a record (creation interrupted) maps to undefined. */
export async function readSandboxRecords(sandboxesDir: string): Promise<Map<string, PodSandboxConfig | undefined>> {
  const out = new Map<string, PodSandboxConfig | undefined>();
  for (const id of await listDir(sandboxesDir)) {
    const text = await readOptional(join(sandboxesDir, id, SANDBOX_FILE));
    out.set(id, text === undefined ? undefined : JSON.parse(text) as PodSandboxConfig);
  }
  return out;
}

/** Process records by id; undefined for a bundle whose creation was interrupted. */
export async function readProcessRecords(containersDir: string): Promise<Map<string, ProcessRecord | undefined>> {
  const out = new Map<string, ProcessRecord | undefined>();
  for (const id of await listDir(containersDir)) {
    const text = await readOptional(join(containersDir, id, PROCESS_FILE));
    out.set(id, text === undefined ? undefined : parseProcessRecord(text));
  }
  return out;
}

function parseProcessRecord(text: string): ProcessRecord {
  const raw = JSON.parse(text) as Omit<ProcessRecord, 'createdAt' | 'startedAt'> & { createdAt: string; startedAt?: string };
  return { ...raw, createdAt: new Date(raw.createdAt), startedAt: raw.startedAt === undefined ? undefined : new Date(raw.startedAt) };
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

async function listDir(dir: string): Promise<string[]> {
  return readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw new Error(`reading ${dir}: ${err.message}`, { cause: err });
  });
}

async function readOptional(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new Error(`reading ${path}: ${err.message}`, { cause: err });
  });
}
