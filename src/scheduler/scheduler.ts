// A minimal kube-scheduler: pods without a node, of schedulerName default-scheduler, are filtered
// against every node (filter.ts), the least allocated fitting node wins, and the pod is bound
// through pods/binding. A pod no node can take gets PodScheduled=False/Unschedulable and a
// FailedScheduling event, and is retried when nodes change, when a pod leaves (its requests and
// ports are free again), or after a minute.
//
//   informers(pods, nodes) ──▶ queue of pod keys ──▶ scheduleOne ──▶ binding | unschedulable
import type { Node, Pod } from 'kubernetes-types/core/v1.d.ts';
import { Informer } from '../client/informer.ts';
import { objectKey } from '../client/cache.ts';
import { isConflict, isNotFound } from '../client/errors.ts';
import { resourcePath } from '../client/paths.ts';
import type { RestClient } from '../client/rest.ts';
import { EventRecorder } from '../client/record.ts';
import { WorkQueue } from '../client/workqueue.ts';
import { processQueue } from '../client/worker.ts';
import { firstFailure, unschedulableMessage, type NodeFailure, type NodeInfo } from './filter.ts';
import { leastAllocatedScore } from './resources.ts';

const schedulerName = 'default-scheduler';
const retryUnschedulableMs = 60_000;

export class Scheduler {
  private readonly client: RestClient;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly queue = new WorkQueue<string>();
  private readonly recorder: EventRecorder;
  private readonly unschedulable = new Set<string>();

  constructor(client: RestClient) {
    this.client = client;
    this.recorder = new EventRecorder(client, schedulerName);
    this.pods = new Informer<Pod>(client, { version: 'v1', resource: 'pods' }, { fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' });
    this.nodes = new Informer<Node>(client, { version: 'v1', resource: 'nodes' });
    const retryAll = () => this.retryUnschedulable();
    this.pods.addEventHandler({ add: (p) => this.enqueue(p), update: (old, p) => this.enqueueUpdate(old, p), delete: retryAll });
    this.nodes.addEventHandler({ add: retryAll, update: retryAll });
  }

  async start(): Promise<void> {
    this.pods.start();
    this.nodes.start();
    await Promise.all([this.pods.waitForSync(), this.nodes.waitForSync()]);
    void processQueue(this.queue, 'scheduler', (key) => this.scheduleOne(key));
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await Promise.all([this.pods.stop(), this.nodes.stop()]);
    await this.recorder.flush();
  }

  private enqueue(pod: Pod): void {
    if (needsScheduling(pod)) this.queue.add(objectKey(pod));
  }

  /** An unschedulable pod is retried when its spec or labels change, not on its own status writes. */
  private enqueueUpdate(old: Pod, pod: Pod): void {
    const key = objectKey(pod);
    if (this.unschedulable.has(key) && !schedulingInputsChanged(old, pod)) return;
    this.enqueue(pod);
  }

  private retryUnschedulable(): void {
    for (const key of this.unschedulable) this.queue.add(key);
  }

  private async scheduleOne(key: string): Promise<void> {
    const pod = this.pods.get(key);
    if (!pod || !needsScheduling(pod)) {
      this.unschedulable.delete(key);
      return;
    }
    const infos = this.nodeInfos();
    const failures: NodeFailure[] = [];
    const fitting: NodeInfo[] = [];
    for (const info of infos) {
      const failure = firstFailure(pod, info);
      if (failure) failures.push(failure);
      else fitting.push(info);
    }
    if (!fitting.length) return this.markUnschedulable(key, pod, unschedulableMessage(infos.length, failures));
    fitting.sort((a, b) => leastAllocatedScore(pod, b) - leastAllocatedScore(pod, a));
    await this.bind(pod, fitting[0].node.metadata?.name ?? '');
    this.unschedulable.delete(key);
  }

  private nodeInfos(): NodeInfo[] {
    const byNode = new Map<string, Pod[]>();
    for (const p of this.pods.list()) {
      const node = p.spec?.nodeName;
      if (node) byNode.set(node, [...(byNode.get(node) ?? []), p]);
    }
    return this.nodes.list().map((node) => ({ node, pods: byNode.get(node.metadata?.name ?? '') ?? [] }));
  }

  private async bind(pod: Pod, node: string): Promise<void> {
    const ns = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: ns, uid: pod.metadata?.uid }, target: { apiVersion: 'v1', kind: 'Node', name: node } };
    try {
      await this.client.create(resourcePath({ version: 'v1', resource: 'pods', namespace: ns, name, subresource: 'binding' }), binding);
    } catch (err) {
      if (isConflict(err) || isNotFound(err)) return;
      throw err;
    }
    this.recorder.event(withKind(pod), 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${node}`);
  }

  private async markUnschedulable(key: string, pod: Pod, message: string): Promise<void> {
    this.unschedulable.add(key);
    this.queue.addAfter(key, retryUnschedulableMs);
    const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (current?.status !== 'False' || current.message !== message) {
      const condition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') };
      const path = resourcePath({ version: 'v1', resource: 'pods', namespace: pod.metadata?.namespace, name: pod.metadata?.name, subresource: 'status' });
      try {
        await this.client.patch(path, { status: { conditions: [condition] } }, 'strategic');
      } catch (err) {
        if (!isNotFound(err)) throw err;
        return;
      }
    }
    this.recorder.event(withKind(pod), 'Warning', 'FailedScheduling', message);
  }
}

function needsScheduling(pod: Pod): boolean {
  return !pod.spec?.nodeName && !pod.metadata?.deletionTimestamp && (pod.spec?.schedulerName ?? schedulerName) === schedulerName;
}

function schedulingInputsChanged(old: Pod, pod: Pod): boolean {
  return JSON.stringify(old.spec) !== JSON.stringify(pod.spec) || JSON.stringify(old.metadata?.labels) !== JSON.stringify(pod.metadata?.labels);
}

function withKind(pod: Pod): Pod {
  return { ...pod, apiVersion: 'v1', kind: 'Pod' };
}
