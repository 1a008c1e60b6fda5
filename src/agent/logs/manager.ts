// The container log manager (the kubelet's pkg/kubelet/logs): every monitor interval (10 s by
// default) it looks at each running container's log and rotates the ones at or past the size
// limit (rotate.ts). A log that is missing (renamed by a rotation whose reopen failed, removed by
// hand) is reopened first. Exited containers write nothing more and are left alone.
//
//   every interval ─▶ running containers ─▶ stat LOG ─ missing ─▶ reopen
//                                                    ─ size ≥ max ─▶ rotateLog
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { RuntimeError, type Runtime } from '../runtime/runtime.ts';
import { rotateLog } from './rotate.ts';

export interface LogRotatePolicy {
  /** Bytes; a log this big or bigger is rotated. */
  maxSize: number;
  /** Files kept per log, the live one included (at least 2). */
  maxFiles: number;
  /** How often logs are checked (kubelet: 10 s). */
  monitorIntervalMs: number;
}

export interface LogManagerDeps {
  runtime: Pick<Runtime, 'listContainers' | 'reopenContainerLog'>;
  now(): Date;
  /** Where a failed rotation is told (the kubelet logs it and tries again next round). */
  onError(containerId: string, err: unknown): void;
}

export class ContainerLogManager {
  private readonly policy: LogRotatePolicy;
  private readonly deps: LogManagerDeps;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(policy: LogRotatePolicy, deps: LogManagerDeps) {
    this.policy = policy;
    this.deps = deps;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  /** One round over the running containers; each container's failure is its own. */
  async rotateLogs(): Promise<void> {
    for (const c of await this.deps.runtime.listContainers({ state: 'running' })) {
      try {
        await this.check(c.id, c.logPath);
      } catch (err) {
        // A container that ended since the listing needs no rotation (its log was put back).
        if (!(err instanceof RuntimeError && (err.code === 'InvalidState' || err.code === 'NotFound'))) this.deps.onError(c.id, err);
      }
    }
  }

  private async check(id: string, log: string): Promise<void> {
    let info = await stat(log).catch(() => undefined);
    if (info === undefined) {
      await this.deps.runtime.reopenContainerLog(id);
      info = await stat(log);
    }
    if (info.size < this.policy.maxSize) return;
    await rotateLog(log, this.policy.maxFiles, { now: this.deps.now, reopen: () => this.deps.runtime.reopenContainerLog(id) });
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      await this.rotateLogs().catch((err: unknown) => this.deps.onError('', err));
      await sleep(this.policy.monitorIntervalMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
    }
  }
}
