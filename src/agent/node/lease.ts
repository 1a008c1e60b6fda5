// The node's heartbeat: a coordination.k8s.io/v1 Lease in kube-node-lease named after the node,
// renewed every leaseDuration/4, as the kubelet's nodelease controller (component-helpers
// apimachinery/lease) does:
//
//   tick ─▶ latest lease known? ─yes─▶ PUT renewTime=now ─ok─▶ done
//                 │ no                       │ conflict: re-read and retry (5 tries)
//                 ▼                          ▼ other failure
//          ensure: GET, or CREATE when missing (owner: the Node) ─▶ renew what was read
//
// ensure retries with backoff 200 ms doubling to 7 s. A missing kube-node-lease namespace is
// created, so an agent can join a cluster whose bootstrap skipped it.
import type { Lease } from 'kubernetes-types/coordination/v1.d.ts';
import type { Node } from 'kubernetes-types/core/v1.d.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { realClock, type Clock } from '../../client/clock.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../client/errors.ts';
import { resourcePath } from '../../client/paths.ts';
import type { RestClient } from '../../client/rest.ts';
import { nodePath } from './register.ts';

export const nodeLeaseNamespace = 'kube-node-lease';
const maxUpdateRetries = 5;

export interface NodeLeaseOptions {
  leaseDurationSeconds?: number;
  /** Default leaseDurationSeconds/4 (kubelet NodeLeaseRenewIntervalFraction 0.25). */
  renewIntervalMs?: number;
  clock?: Clock;
  now?: () => Date;
  /** Waits before ensure retry number `attempt`; default 200 ms doubling to 7 s. */
  delay?: (attempt: number, signal: AbortSignal) => Promise<void>;
}

export class NodeLeaseController {
  private readonly client: RestClient;
  private readonly nodeName: string;
  private readonly options: NodeLeaseOptions;
  private readonly abort = new AbortController();
  private latestLease: Lease | undefined;
  private running: Promise<void> | undefined;
  private cancelTick: (() => void) | undefined;

  constructor(client: RestClient, nodeName: string, options: NodeLeaseOptions = {}) {
    this.client = client;
    this.nodeName = nodeName;
    this.options = options;
  }

  get leaseDurationSeconds(): number {
    return this.options.leaseDurationSeconds ?? 40;
  }

  /** Renews at once, then every renew interval. */
  start(): void {
    this.tick();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.cancelTick?.();
    await this.running;
  }

  /** One renewal round (the controller's sync); failures are logged, the next tick tries again. */
  async sync(): Promise<void> {
    if (this.latestLease) {
      try {
        await this.retryUpdateLease(this.latestLease);
        return;
      } catch (err) {
        console.error(`node lease ${this.nodeName}: failed to update lease using latest lease, fallback to ensure lease: ${(err as Error).message}`);
      }
    }
    const { lease, created } = await this.backoffEnsureLease();
    if (!lease) return;
    this.latestLease = lease;
    if (created) return;
    await this.retryUpdateLease(lease).catch((err: Error) => console.error(`node lease ${this.nodeName}: ${err.message}`));
  }

  private tick(): void {
    if (this.abort.signal.aborted) return;
    this.running = this.sync().finally(() => {
      const interval = this.options.renewIntervalMs ?? this.leaseDurationSeconds * 250;
      if (!this.abort.signal.aborted) this.cancelTick = (this.options.clock ?? realClock).after(interval, () => this.tick());
    });
  }

  private async backoffEnsureLease(): Promise<{ lease?: Lease; created: boolean }> {
    for (let attempt = 0; !this.abort.signal.aborted; attempt++) {
      try {
        return await this.ensureLease();
      } catch (err) {
        console.error(`node lease ${this.nodeName}: failed to ensure lease exists, will retry: ${(err as Error).message}`);
      }
      await (this.options.delay ?? ensureBackoff)(attempt, this.abort.signal);
    }
    return { created: false };
  }

  private async ensureLease(): Promise<{ lease: Lease; created: boolean }> {
    try {
      return { lease: await this.client.get<Lease>(this.leasePath()), created: false };
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const lease = await this.newLease(undefined);
    try {
      return { lease: await this.client.create(leasesPath(), lease), created: true };
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    await this.ensureNamespace();
    return { lease: await this.client.create(leasesPath(), lease), created: true };
  }

  private async retryUpdateLease(base: Lease): Promise<void> {
    let lease = base;
    let lastErr: unknown;
    for (let i = 0; i < maxUpdateRetries && !this.abort.signal.aborted; i++) {
      try {
        this.latestLease = await this.client.update(this.leasePath(), await this.newLease(lease));
        return;
      } catch (err) {
        lastErr = err;
        if (!isConflict(err)) continue;
        const ensured = await this.backoffEnsureLease();
        if (!ensured.lease) break;
        lease = ensured.lease;
      }
    }
    throw new Error(`failed ${maxUpdateRetries} attempts to update lease: ${(lastErr as Error | undefined)?.message}`, { cause: lastErr });
  }

  /** base with renewTime now, or a new lease; owned by the Node so it goes when the Node goes. */
  private async newLease(base: Lease | undefined): Promise<Lease> {
    const lease: Lease = base ? structuredClone(base) : {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.nodeName, namespace: nodeLeaseNamespace },
      spec: { holderIdentity: this.nodeName, leaseDurationSeconds: this.leaseDurationSeconds },
    };
    lease.spec = { ...lease.spec, renewTime: microTime((this.options.now ?? (() => new Date()))()) };
    if (!lease.metadata?.ownerReferences?.length) await this.setNodeOwner(lease);
    return lease;
  }

  private async setNodeOwner(lease: Lease): Promise<void> {
    try {
      const node = await this.client.get<Node>(nodePath(this.nodeName));
      const uid = node.metadata?.uid;
      if (uid) lease.metadata = { ...lease.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid }] };
    } catch (err) {
      console.error(`node lease ${this.nodeName}: failed to get node when trying to set owner ref to the node lease: ${(err as Error).message}`);
    }
  }

  private async ensureNamespace(): Promise<void> {
    try {
      await this.client.create(resourcePath({ version: 'v1', resource: 'namespaces' }), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: nodeLeaseNamespace } });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  private leasePath(): string {
    return resourcePath({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: nodeLeaseNamespace, name: this.nodeName });
  }
}

function leasesPath(): string {
  return resourcePath({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: nodeLeaseNamespace });
}

const ensureBackoff = async (attempt: number, signal: AbortSignal): Promise<void> => {
  await sleep(Math.min(200 * 2 ** attempt, 7_000), undefined, { signal }).catch(() => undefined);
};

/** metav1.MicroTime: RFC 3339 with six fractional digits. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
