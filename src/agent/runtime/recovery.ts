// Reading an earlier OciRuntime's state back from its stateDir (the agent restarted, maybe after
// kill -9). Complete sandboxes and containers are adopted as they are: conmon kept running, and
// exits that happened meanwhile are in the exit files. What an interrupted create or remove left
// behind (a directory without its record, a container whose sandbox is gone) is discarded.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runc } from './conmon/runc.ts';
import { removeCgroup } from '../cgroups/cgroupfs.ts';
import { unmountPodFiles } from './pod_files.ts';
import { readProcessRecords, readSandboxRecords, writeProcessRecord, type ProcessRecord } from './records.ts';
import type { PodSandboxConfig } from './runtime.ts';

export interface StateLayout {
  sandboxesDir: string;
  containersDir: string;
  exitsDir: string;
  socketsDir: string;
  runc: Runc;
  podCgroup(sandboxId: string): string;
}

export interface RecoveredState {
  sandboxes: Map<string, { config: PodSandboxConfig; infra: ProcessRecord }>;
  containers: Map<string, ProcessRecord>;
}

export async function recoverState(layout: StateLayout): Promise<RecoveredState> {
  const sandboxConfigs = await readSandboxRecords(layout.sandboxesDir);
  const processes = await readProcessRecords(layout.containersDir);
  const state: RecoveredState = { sandboxes: new Map(), containers: new Map() };
  for (const [id, config] of sandboxConfigs) {
    const infra = processes.get(id);
    if (config === undefined || infra === undefined) await discardSandbox(layout, id);
    else state.sandboxes.set(id, { config, infra: await withStartTime(layout, infra) });
  }
  for (const [id, record] of processes) {
    if (record === undefined || !state.sandboxes.has(record.sandboxId)) await discardProcess(layout, id);
    else if (id !== record.sandboxId) state.containers.set(id, await withStartTime(layout, record));
  }
  return state;
}

/** A start whose record was not written yet: runc knows it runs; the start time is now unknown, recovery time stands in. */
async function withStartTime(layout: StateLayout, record: ProcessRecord): Promise<ProcessRecord> {
  if (record.startedAt !== undefined || (await layout.runc.state(record.id))?.status !== 'running') return record;
  const started = { ...record, startedAt: new Date() };
  await writeProcessRecord(join(layout.containersDir, record.id), started);
  return started;
}

async function discardProcess(layout: StateLayout, id: string): Promise<void> {
  if ((await layout.runc.state(id)) !== undefined) await layout.runc.forceDelete(id);
  for (const path of [join(layout.containersDir, id), join(layout.exitsDir, id), join(layout.socketsDir, id)]) {
    await rm(path, { recursive: true, force: true });
  }
}

async function discardSandbox(layout: StateLayout, id: string): Promise<void> {
  const dir = join(layout.sandboxesDir, id);
  await unmountPodFiles(dir);
  await rm(dir, { recursive: true, force: true });
  await removeCgroup(layout.podCgroup(id));
}
