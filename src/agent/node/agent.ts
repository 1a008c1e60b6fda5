// The agent's Node: registers it, keeps its status true (NodeStatusManager) and its heartbeat
// Lease fresh (NodeLeaseController), and learns the pod CIDR the cluster assigns.
//
//   start ─▶ read machine ─▶ Starting event ─▶ register (create | get + fix labels)
//         ─▶ watch own Node ─▶ status loop + lease loop ─▶ wait for spec.podCIDR ─▶ resolve
//
// Without an assignment within podCidrWaitMs, a podCidrFallback is written into spec.podCIDR
// (once set it is immutable, so a late assignment by the cluster wins the race cleanly).
import type { Node } from 'kubernetes-types/core/v1.d.ts';
import { realClock, type Clock } from '../../client/clock.ts';
import { Informer } from '../../client/informer.ts';
import { EventRecorder } from '../../client/record.ts';
import type { RestClient } from '../../client/rest.ts';
import { defaultLabels } from './labels.ts';
import { NodeLeaseController } from './lease.ts';
import { readMachineInfo } from './machine.ts';
import { waitForPodCIDR } from './podcidr.ts';
import { registerWithAPIServer, type RegisterDelay } from './register.ts';
import { NodeStatusManager } from './status.ts';

export interface NodeAgentOptions {
  /** The caller picks it, normally os.hostname() lower-cased. */
  nodeName: string;
  /** Extra labels (--node-labels), on top of hostname/os/arch. */
  labels: Record<string, string>;
  /** Reported as InternalIP. */
  address: string;
  /** status.daemonEndpoints.kubeletEndpoint.Port: the agent's HTTPS server (logs, exec). */
  kubeletPort: number;
  /** Written into spec.podCIDR when the cluster assigns none within podCidrWaitMs. */
  podCidrFallback?: string;
  /** How long to wait for the cluster's assignment before the fallback; default 10 s. */
  podCidrWaitMs?: number;
  /** Status recomputed this often; default 10 s. */
  statusUpdateFrequencyMs?: number;
  /** An unchanged status is still reported this often; default 5 min. */
  statusReportFrequencyMs?: number;
  /** Default 40; renewed every quarter of it. */
  leaseDurationSeconds?: number;
  /** Overrides leaseDurationSeconds/4. */
  leaseRenewIntervalMs?: number;
  /** Its filesystem's size is the ephemeral-storage capacity. */
  dataDir: string;
  /** nodeInfo.containerRuntimeVersion, e.g. "runc://1.1.5". */
  runtimeVersion: string;
  clock?: Clock;
  now?: () => Date;
  registerDelay?: RegisterDelay;
}

export class NodeAgent {
  private readonly client: RestClient;
  private readonly options: NodeAgentOptions;
  private readonly abort = new AbortController();
  private readonly events: EventRecorder;
  private status: NodeStatusManager | undefined;
  private lease: NodeLeaseController | undefined;
  private informer: Informer<Node> | undefined;

  constructor(client: RestClient, options: NodeAgentOptions) {
    this.client = client;
    this.options = options;
    this.events = new EventRecorder(client, 'kubelet', { host: options.nodeName, now: options.now });
  }

  /** Resolves once the Node is registered and has a pod CIDR. */
  async start(): Promise<{ node: Node; podCidr: string }> {
    const { nodeName } = this.options;
    const machine = await readMachineInfo(this.options.dataDir);
    this.record('Starting', 'Starting kubelet.');
    const facts = { nodeName, address: this.options.address, kubeletPort: this.options.kubeletPort, machine, runtimeVersion: this.options.runtimeVersion };
    const placeholder: Node = { metadata: { name: nodeName } };
    const status = new NodeStatusManager(this.client, facts, placeholder, {
      updateFrequencyMs: this.options.statusUpdateFrequencyMs,
      reportFrequencyMs: this.options.statusReportFrequencyMs,
      clock: this.options.clock,
      now: this.options.now,
      record: (event) => this.record(event, `Node ${nodeName} status is now: ${event}`),
    });
    this.status = status;
    // Events of the initial status wait until the Node exists, as the kubelet's do.
    const initialEvents: string[] = [];
    const initial = this.initialNode(status.computeStatus(undefined, (event) => initialEvents.push(event)));
    status.observe(await registerWithAPIServer(this.client, initial, this.abort.signal, this.options.registerDelay));
    for (const event of initialEvents) this.record(event, `Node ${nodeName} status is now: ${event}`);
    this.watchNode(status);
    await status.syncNodeStatus().catch((err: Error) => console.error(`node ${nodeName}: first status report: ${err.message}`));
    status.start();
    this.lease = new NodeLeaseController(this.client, nodeName, {
      leaseDurationSeconds: this.options.leaseDurationSeconds,
      renewIntervalMs: this.options.leaseRenewIntervalMs,
      clock: this.options.clock,
      now: this.options.now,
    });
    this.lease.start();
    const podCidr = await waitForPodCIDR(this.client, status, {
      fallback: this.options.podCidrFallback,
      waitMs: this.options.podCidrWaitMs ?? 10_000,
      clock: this.options.clock ?? realClock,
      signal: this.abort.signal,
    });
    return { node: status.node(), podCidr };
  }

  /** The Node as last seen: capacity, allocatable, labels, podCIDR. */
  node(): Node {
    if (!this.status) throw new Error(`node ${this.options.nodeName}: not started`);
    return this.status.node();
  }

  /**
   * Marks the node not ready because of `source` (e.g. "runtime", "network") with a message such
   * as "container runtime is down", or clears that reason (message undefined). Reported at once.
   */
  async setNotReady(source: string, message: string | undefined): Promise<void> {
    if (!this.status) throw new Error(`node ${this.options.nodeName}: not started`);
    this.status.setNotReady(source, message);
    await this.status.syncNodeStatus();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all([this.status?.stop(), this.lease?.stop(), this.informer?.stop()]);
    await this.events.flush();
  }

  private initialNode(status: Node['status']): Node {
    const { nodeName, labels } = this.options;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: nodeName,
        labels: { ...defaultLabels(nodeName), ...labels },
        // Volumes are attached by the controller, not the node (kubelet's default).
        annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      },
      spec: {},
      status,
    };
  }

  private watchNode(status: NodeStatusManager): void {
    const informer = new Informer<Node>(this.client, { version: 'v1', resource: 'nodes' }, { fieldSelector: `metadata.name=${this.options.nodeName}` });
    informer.addEventHandler({ add: (n) => status.observe(n), update: (_old, n) => status.observe(n) });
    informer.start();
    this.informer = informer;
  }

  /** Events about the Node name it by name as its uid, as the kubelet's nodeRef does. */
  private record(reason: string, message: string): void {
    const name = this.options.nodeName;
    this.events.event({ kind: 'Node', metadata: { name, uid: name } }, 'Normal', reason, message);
  }
}

