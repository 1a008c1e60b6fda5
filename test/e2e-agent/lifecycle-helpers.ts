// Helpers for the pod lifecycle tests: one agent server per file, the STATUS column as `kubectl get -w` shows it over time,
// a pod's container status by name, and the kernel's uptime, the clock that lines written in
// containers (cat /proc/uptime) and the test share.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.d.ts';
import { kubectl, kubectlWatch } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

/** A server with its agent for the enclosing describe block: started before it, emptied and stopped after it. */
export function agentServer(): () => TestServer {
  let server: TestServer | undefined;
  before(async () => {
    server = await startServer({ agent: true });
  });
  after(async () => {
    if (server === undefined) return;
    await kubectl(server, ['delete', 'pods', '--all', '--grace-period=1'], { timeoutMs: 60_000 });
    await server.stop();
  });
  return () => {
    if (server === undefined) throw new Error('the agent server has not started');
    return server;
  };
}

export interface StatusWatch {
  /** Waits until the STATUS column shows `status`; returns the whole row's cells. */
  until(status: string, timeoutMs?: number): Promise<string[]>;
  /** Every STATUS seen so far, repeats folded. */
  seen(): string[];
  stop(): Promise<void>;
}

/** `kubectl get pod NAME -w`, started before the pod exists so that no short-lived STATUS is missed. */
export function watchStatus(server: TestServer, name: string): StatusWatch {
  const watch = kubectlWatch(server, ['pods', '--field-selector', `metadata.name=${name}`]);
  const rows: string[][] = [];
  const cells = (line: string) => line.trim().split(/\s{2,}/);
  return {
    async until(status, timeoutMs = 60_000) {
      const line = await watch.stdoutLines.take(`STATUS ${status} of ${name}`, (l) => {
        const row = cells(l);
        if (row[0] === name) rows.push(row);
        return row[0] === name && row[2] === status;
      }, timeoutMs);
      return cells(line);
    },
    seen() {
      for (const l of watch.stdoutLines.received) {
        const row = cells(l);
        if (row[0] === name && !rows.includes(row)) rows.push(row);
      }
      return rows.map((r) => r[2] ?? '').filter((s, i, all) => i === 0 || all[i - 1] !== s);
    },
    async stop() {
      await watch.kill();
    },
  };
}

export function statusOf(pod: Pod, name: string): ContainerStatus {
  const found = [...pod.status?.initContainerStatuses ?? [], ...pod.status?.containerStatuses ?? []].find((c) => c.name === name);
  if (found === undefined) throw new Error(`no status of container ${name} in ${JSON.stringify(pod.status)}`);
  return found;
}

/** Seconds since boot, as `cat /proc/uptime` prints them in any container on this node. */
export async function uptime(): Promise<number> {
  return Number.parseFloat(await readFile('/proc/uptime', 'utf8'));
}

/** Seconds between two metav1.Time strings. */
export function secondsBetween(from: string | undefined, to: string | undefined): number {
  return (Date.parse(to ?? '') - Date.parse(from ?? '')) / 1000;
}

/** A directory on the node for a pod's hostPath volume: what its processes write there outlives the pod. */
export async function nodeDir(): Promise<{ path: string; read(file: string): Promise<string[][]>; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'peapod-lifecycle-'));
  return {
    path,
    /** The file's lines, split on spaces ("TERM 1234.56" → ["TERM", "1234.56"]); none while it is absent. */
    async read(file) {
      const text = await readFile(join(path, file), 'utf8').catch(() => '');
      return text.split('\n').filter((l) => l !== '').map((l) => l.split(' '));
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}
