// The pod lifecycle event generator (the kubelet's generic PLEG): relists the runtime every
// period and tells the agent which pods had a container or sandbox change state — an exit, most
// of all, which nothing else reports.
import type { Runtime } from '../runtime/runtime.ts';
import { podUidLabel } from '../kuberuntime/labels.ts';

export interface PlegOptions {
  periodMs?: number;
  onError?: (err: Error) => void;
}

export class Pleg {
  private readonly runtime: Runtime;
  private readonly onChange: (uid: string) => void;
  private readonly periodMs: number;
  private readonly onError: (err: Error) => void;
  private states = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private relisting: Promise<void> | undefined;

  constructor(runtime: Runtime, onChange: (uid: string) => void, options: PlegOptions = {}) {
    this.runtime = runtime;
    this.onChange = onChange;
    this.periodMs = options.periodMs ?? 1000;
    this.onError = options.onError ?? ((err) => console.error(`pleg: ${err.message}`));
  }

  start(): void {
    this.timer = setInterval(() => {
      this.relisting ??= this.relist().catch(this.onError).finally(() => { this.relisting = undefined; });
    }, this.periodMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.relisting;
  }

  /** One relist: every pod with an object whose state differs from the last relist is reported once. */
  async relist(): Promise<void> {
    const [sandboxes, containers] = await Promise.all([this.runtime.listSandboxes(), this.runtime.listContainers()]);
    const next = new Map<string, string>();
    const changed = new Set<string>();
    for (const o of [...sandboxes, ...containers]) {
      const uid = o.labels[podUidLabel];
      if (uid === undefined) continue;
      next.set(o.id, `${uid}/${o.state}`);
      if (this.states.get(o.id) !== next.get(o.id)) changed.add(uid);
    }
    for (const [id, state] of this.states) if (!next.has(id)) changed.add(state.slice(0, state.lastIndexOf('/')));
    this.states = next;
    for (const uid of changed) this.onChange(uid);
  }
}
