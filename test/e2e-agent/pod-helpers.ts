// Helpers for the pod error, log, image and bandwidth tests (support.ts holds what every test of
// this folder shares): pods with a whole spec, their row in `kubectl get pods`, polling a pod
// until a STATUS, waiting reason or event shows, and the runc containers of one pod.
import type { Container, Event, Pod, PodSpec } from 'kubernetes-types/core/v1.d.ts';
import { kubectl, type KubectlResult } from '../support/kubectl.ts';
import type { TestServer } from '../support/server.ts';
import { parseTable, rowWhere, type Row } from '../support/table.ts';
import { eventually } from '../support/wait.ts';
import { getPod, runcList, runcState } from './support.ts';

export function busybox(name: string, extra: Partial<Container> = {}): Container {
  return { name, image: 'busybox', ...extra };
}

/** A pod with a whole spec, for what support.ts's pod() does not set (restartPolicy, volumes, ...). */
export function podWith(name: string, spec: PodSpec, annotations?: Record<string, string>): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(annotations ? { annotations } : {}) }, spec };
}

/** kubectl with a failure that shows what kubectl said. */
export async function kubectlOk(server: TestServer, args: string[], input?: string): Promise<string> {
  const result: KubectlResult = await kubectl(server, args, { input, timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

export async function createPod(server: TestServer, manifest: Pod): Promise<void> {
  await kubectlOk(server, ['create', '-f', '-'], JSON.stringify(manifest));
}

/** The pod's row of `kubectl get pods` (NAME READY STATUS RESTARTS AGE). */
export async function podRow(server: TestServer, name: string): Promise<Row> {
  return rowWhere(parseTable(await kubectlOk(server, ['get', 'pods', name])), 'NAME', name);
}

/** The events about one pod, oldest first. */
export async function podEvents(server: TestServer, name: string): Promise<Event[]> {
  const list = JSON.parse(await kubectlOk(server, ['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'json'])) as { items: Event[] };
  const when = (e: Event) => String(e.lastTimestamp ?? e.eventTime ?? '');
  return list.items.sort((a, b) => when(a).localeCompare(when(b)));
}

/** "Type Reason: message" lines, the shape tests compare events in. */
export function eventLines(events: Event[]): string[] {
  return events.map((e) => `${e.type} ${e.reason}: ${e.message}`);
}

export async function deletePod(server: TestServer, name: string): Promise<void> {
  await kubectlOk(server, ['delete', 'pod', name, '--grace-period=1', '--ignore-not-found']);
}

/**
 * The runc containers of one pod still on the node: its sandbox (found by a pod annotation, which
 * sandboxes carry and `runc state` shows) and the given container IDs.
 */
export async function podRuncContainers(server: TestServer, marker: { key: string; value: string }, containerIds: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const { id } of await runcList(server.dataDir)) {
    const state = await runcState(server.dataDir, id).catch(() => undefined) as { annotations?: Record<string, string> } | undefined;
    if (containerIds.includes(id) || state?.annotations?.[marker.key] === marker.value) found.push(id);
  }
  return found;
}

/** Polls `kubectl get pods NAME` until its STATUS column reads `status`; returns that row. */
export function statusBecomes(server: TestServer, name: string, status: string, timeoutMs = 30_000): Promise<Row> {
  return eventually(`pod ${name} STATUS ${status}`, async () => {
    const row = await podRow(server, name);
    if (row.STATUS === status) return row;
    throw new Error(`STATUS is ${row.STATUS}`);
  }, timeoutMs, 250);
}

/** The first container's waiting state, once it has the given reason. */
export function waitingBecomes(server: TestServer, name: string, reason: string, timeoutMs = 30_000): Promise<{ reason?: string; message?: string }> {
  return eventually(`pod ${name} waiting ${reason}`, async () => {
    const waiting = (await getPod(server, name)).status?.containerStatuses?.[0]?.state?.waiting;
    if (waiting?.reason === reason) return waiting;
    throw new Error(`waiting is ${JSON.stringify(waiting)}`);
  }, timeoutMs, 250);
}

/** Polls the pod's events until each expected "Type Reason: message" line (string or pattern) is among them. */
export function eventsInclude(server: TestServer, name: string, expected: (string | RegExp)[], timeoutMs = 30_000): Promise<string[]> {
  return eventually(`events of ${name}: ${expected.join(' | ')}`, async () => {
    const lines = eventLines(await podEvents(server, name));
    const missing = expected.filter((want) => !lines.some((line) => (typeof want === 'string' ? line === want : want.test(line))));
    if (missing.length === 0) return lines;
    throw new Error(`missing ${missing.join(' | ')} in:\n${lines.join('\n')}`);
  }, timeoutMs, 500);
}
