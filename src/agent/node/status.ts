// The node status loop, as the kubelet's syncNodeStatus / tryUpdateNodeStatus with the node
// lease on: every updateFrequency the status is recomputed over the newest Node known; it is
// PATCHed (strategic merge, nodes/NAME/status) only when it changed — heartbeat times aside —
// or when reportFrequency has passed since the last report. Liveness is the lease's job.
//
//   tick ─▶ setNodeStatus(newest node) ─▶ changed or report due? ─no─▶ wait
//                                              │ yes
//                                              ▼
//                                   PATCH nodes/NAME/status ─▶ newest node = response
import type { Node, NodeStatus } from 'kubernetes-types/core/v1.d.ts';
import { realClock, type Clock } from '../../client/clock.ts';
import type { RestClient } from '../../client/rest.ts';
import type { NodeHealth, RecordStatusEvent } from './conditions.ts';
import { nodePath } from './register.ts';
import { setNodeStatus, type NodeFacts } from './setters.ts';
import { newerNode, statusChanged, statusPatch } from './statuspatch.ts';

export interface NodeStatusOptions {
  /** How often the status is recomputed; kubelet nodeStatusUpdateFrequency, 10 s. */
  updateFrequencyMs?: number;
  /** An unchanged status is still reported this often; kubelet nodeStatusReportFrequency, 5 min. */
  reportFrequencyMs?: number;
  clock?: Clock;
  /** Wall time for condition timestamps and the report frequency. */
  now?: () => Date;
  record: RecordStatusEvent;
}

export class NodeStatusManager {
  private readonly client: RestClient;
  private readonly facts: NodeFacts;
  private readonly options: NodeStatusOptions;
  private readonly notReady = new Map<string, string>();
  private current: Node;
  private readonly waiters = new Set<() => void>();
  private lastReport = 0;
  private syncing: Promise<boolean> | undefined;
  private cancelTick: (() => void) | undefined;
  private stopped = false;

  constructor(client: RestClient, facts: NodeFacts, registered: Node, options: NodeStatusOptions) {
    this.client = client;
    this.facts = facts;
    this.options = options;
    this.current = registered;
  }

  /** The newest Node seen, from a watch event or a write's response. */
  observe(node: Node): void {
    this.current = newerNode(this.current, node);
    for (const check of this.waiters) check();
  }

  /** The first Node seen that satisfies `wanted`; rejects when signal aborts. */
  waitFor(wanted: (node: Node) => boolean, signal: AbortSignal): Promise<Node> {
    return new Promise((resolve, reject) => {
      const done = () => {
        this.waiters.delete(check);
        signal.removeEventListener('abort', abort);
      };
      const check = () => {
        if (!wanted(this.current)) return;
        done();
        resolve(this.current);
      };
      const abort = () => {
        done();
        reject(new Error(`node ${this.facts.nodeName}: stopped waiting`));
      };
      if (signal.aborted) return abort();
      this.waiters.add(check);
      signal.addEventListener('abort', abort);
      check();
    });
  }

  node(): Node {
    return this.current;
  }

  /** Marks the node not ready for `source` (e.g. "runtime") with a message, or clears it. */
  setNotReady(source: string, message: string | undefined): void {
    if (message === undefined) this.notReady.delete(source);
    else this.notReady.set(source, message);
  }

  /** The status the next report would carry, over `node` (registration uses it for the new Node). */
  computeStatus(current: NodeStatus | undefined, record: RecordStatusEvent = this.options.record): NodeStatus {
    const health: NodeHealth = { memoryPressure: false, diskPressure: false, pidPressure: false, notReady: [...this.notReady.values()] };
    return setNodeStatus(current, this.facts, health, timestamp(this.now()), record);
  }

  start(): void {
    this.lastReport = this.now().getTime();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTick?.();
    await this.syncing?.catch(() => undefined);
  }

  /** One status round; true if a PATCH was sent. Rounds never overlap. */
  syncNodeStatus(): Promise<boolean> {
    const run = async () => {
      await previous?.catch(() => undefined);
      return this.tryUpdateNodeStatus();
    };
    const previous = this.syncing;
    this.syncing = run();
    return this.syncing;
  }

  private async tryUpdateNodeStatus(): Promise<boolean> {
    const original = this.current;
    const status = this.computeStatus(original.status);
    const due = this.now().getTime() - this.lastReport >= (this.options.reportFrequencyMs ?? 5 * 60_000);
    if (!due && !statusChanged(original.status, status)) return false;
    const name = this.facts.nodeName;
    const patched = await this.client.patch<Node>(nodePath(name, 'status'), statusPatch(original.status, status), 'strategic');
    this.lastReport = this.now().getTime();
    this.observe(patched);
    return true;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.cancelTick = (this.options.clock ?? realClock).after(this.options.updateFrequencyMs ?? 10_000, () => {
      this.syncNodeStatus()
        .catch((err: Error) => console.error(`node ${this.facts.nodeName}: error updating node status, will retry: ${err.message}`))
        .finally(() => this.schedule());
    });
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}

/** metav1.Time: RFC 3339 in whole seconds. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
