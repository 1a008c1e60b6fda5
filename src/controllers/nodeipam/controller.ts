// The node IPAM controller, kube-controller-manager's range allocator: every Node without a pod
// CIDR gets the next free subnet of the cluster CIDR in spec.podCIDR and spec.podCIDRs; a
// deleted Node's subnet goes back. What Nodes already hold is marked used before anything is
// handed out, so a restart never gives one subnet twice.
//
//   informer sync ─▶ occupy every podCIDR ─▶ queue nodes without one
//   sync(node) ─▶ allocateNext ─▶ PATCH spec.podCIDR(s) (3 tries) ─▶ done
//                     │ exhausted                 │ failed
//                     ▼                           ▼
//        event CIDRNotAvailable, retry   event CIDRAssignmentFailed, release, retry
//   node deleted ─▶ release its subnet ─▶ queue nodes still waiting
import type { Node } from 'kubernetes-types/core/v1.d.ts';
import { isInvalid, isNotFound } from '../../client/errors.ts';
import { Informer } from '../../client/informer.ts';
import { resourcePath } from '../../client/paths.ts';
import { EventRecorder } from '../../client/record.ts';
import type { RestClient } from '../../client/rest.ts';
import { processQueue } from '../../client/worker.ts';
import { WorkQueue } from '../../client/workqueue.ts';
import { CidrSet, CidrSetError } from './cidrset.ts';

export interface NodeIpamOptions {
  /** Default 10.42.0.0/16, as k3s. */
  clusterCIDR?: string;
  /** Default 24 (--node-cidr-mask-size for IPv4). */
  nodeCIDRMaskSize?: number;
}

const cidrUpdateRetries = 3;

export class NodeIpamController {
  private readonly client: RestClient;
  private readonly cidrs: CidrSet;
  private readonly nodes: Informer<Node>;
  private readonly queue = new WorkQueue<string>();
  private readonly events: EventRecorder;
  /** Subnet → the node holding it, so a delete frees only what that node held. */
  private readonly owners = new Map<string, string>();

  constructor(client: RestClient, options: NodeIpamOptions = {}) {
    this.client = client;
    this.cidrs = new CidrSet(options.clusterCIDR ?? '10.42.0.0/16', options.nodeCIDRMaskSize ?? 24);
    this.events = new EventRecorder(client, 'cidrAllocator');
    this.nodes = new Informer<Node>(client, { version: 'v1', resource: 'nodes' });
    this.nodes.addEventHandler({
      add: (node) => this.observe(node),
      update: (_old, node) => this.observe(node),
      delete: (node) => this.forget(node),
    });
  }

  /** Resolves once every existing Node's subnet is marked used and allocation has begun. */
  async start(): Promise<void> {
    this.nodes.start();
    await this.nodes.waitForSync();
    void processQueue(this.queue, 'node ipam controller', (name) => this.sync(name));
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await this.nodes.stop();
  }

  /** A Node with subnets marks them used (recovery, or an agent's own claim); one without waits in the queue. */
  private observe(node: Node): void {
    const name = node.metadata?.name ?? '';
    const held = podCIDRs(node);
    if (held.length === 0) {
      this.queue.add(name);
      return;
    }
    for (const cidr of held) {
      if (this.owners.get(cidr) === name) continue;
      if (!this.cidrs.contains(cidr)) {
        console.warn(`node ipam controller: node ${name} holds ${cidr}, outside cluster CIDR ${this.cidrs.clusterCIDR}; left alone`);
        continue;
      }
      this.cidrs.occupy(cidr);
      this.owners.set(cidr, name);
    }
  }

  private forget(node: Node): void {
    const name = node.metadata?.name ?? '';
    let released = false;
    for (const cidr of podCIDRs(node)) {
      if (this.owners.get(cidr) !== name) continue;
      this.cidrs.release(cidr);
      this.owners.delete(cidr);
      released = true;
    }
    // Nodes that found the range full get their turn now instead of after their back-off.
    if (released) for (const waiting of this.nodes.list()) if (podCIDRs(waiting).length === 0) this.queue.add(waiting.metadata?.name ?? '');
  }

  private async sync(name: string): Promise<void> {
    const node = this.nodes.get(name);
    if (!node || podCIDRs(node).length > 0 || node.metadata?.deletionTimestamp) return;
    let cidr: string;
    try {
      cidr = this.cidrs.allocateNext();
    } catch (err) {
      if (err instanceof CidrSetError && err.exhausted) this.recordStatusChange(node, 'CIDRNotAvailable');
      throw new Error(`failed to allocate cidr from cluster cidr at idx:0: ${(err as Error).message}`, { cause: err });
    }
    this.owners.set(cidr, name);
    try {
      await this.updateCIDRAllocation(name, cidr);
    } catch (err) {
      this.cidrs.release(cidr);
      this.owners.delete(cidr);
      if (isNotFound(err)) return;
      this.recordStatusChange(node, 'CIDRAssignmentFailed');
      throw err;
    }
  }

  /** PATCH the subnet in; if another writer set one meanwhile, keep theirs and free ours. */
  private async updateCIDRAllocation(name: string, cidr: string): Promise<void> {
    const path = resourcePath({ version: 'v1', resource: 'nodes', name });
    let lastErr: unknown;
    for (let attempt = 0; attempt < cidrUpdateRetries; attempt++) {
      try {
        await this.client.patch(path, { spec: { podCIDR: cidr, podCIDRs: [cidr] } }, 'strategic');
        return;
      } catch (err) {
        if (isNotFound(err)) throw err;
        if (isInvalid(err)) {
          const current = await this.client.get<Node>(path);
          if (podCIDRs(current).length > 0) {
            this.cidrs.release(cidr);
            this.owners.delete(cidr);
            this.observe(current);
            return;
          }
        }
        lastErr = err;
      }
    }
    throw new Error(`failed to patch node ${name} CIDR to ${cidr} after ${cidrUpdateRetries} attempts: ${(lastErr as Error).message}`, { cause: lastErr });
  }

  /** nodeutil.RecordNodeStatusChange: a Normal event "Node X status is now: <status>". */
  private recordStatusChange(node: Node, status: string): void {
    const ref = { kind: 'Node', apiVersion: 'v1', metadata: { name: node.metadata?.name, uid: node.metadata?.uid } };
    this.events.event(ref, 'Normal', status, `Node ${node.metadata?.name} status is now: ${status}`);
  }
}

function podCIDRs(node: Node): string[] {
  if (node.spec?.podCIDRs?.length) return node.spec.podCIDRs;
  return node.spec?.podCIDR ? [node.spec.podCIDR] : [];
}
