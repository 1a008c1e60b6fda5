// Steps the contract tests share: configs, running a workload, waiting, reading its output.
import { readFile } from 'node:fs/promises';
import type { ContainerConfig, ContainerStatus, PodSandboxConfig, Runtime } from '../../src/agent/runtime/runtime.ts';
import type { RuntimeHarness } from './contract.ts';
import type { Workload } from './workloads.ts';

export class ContractSteps {
  private readonly harness: () => RuntimeHarness;
  private attempt = 0;

  constructor(harness: () => RuntimeHarness) {
    this.harness = harness;
  }

  get h(): RuntimeHarness {
    return this.harness();
  }

  get runtime(): Runtime {
    return this.h.runtime;
  }

  podConfig(overrides: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
    return {
      metadata: { name: 'web', uid: 'uid-1', namespace: 'default', attempt: this.attempt++ },
      logDirectory: this.h.logDirectory, labels: { app: 'web' }, ...overrides,
    };
  }

  containerConfig(name: string, w: Workload, overrides: Partial<ContainerConfig> = {}): ContainerConfig {
    return {
      metadata: { name, attempt: 0 }, rootfsPath: this.h.rootfsPath, command: w.command,
      logPath: `${name}/${this.attempt}.log`, ...overrides,
    };
  }

  async run(sandboxId: string, name: string, w: Workload, overrides: Partial<ContainerConfig> = {}): Promise<string> {
    const id = await this.runtime.createContainer(sandboxId, this.containerConfig(name, w, overrides));
    await this.runtime.startContainer(id);
    return id;
  }

  async waitExited(id: string, runtime = this.runtime): Promise<ContainerStatus> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const s = await runtime.containerStatus(id);
      if (s.state === 'exited' || Date.now() > deadline) return s;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Runs a workload to its end and returns its stdout lines from the CRI log; it must exit 0. */
  async output(sandboxId: string, name: string, w: Workload, overrides: Partial<ContainerConfig> = {}): Promise<string[]> {
    const s = await this.waitExited(await this.run(sandboxId, name, w, overrides));
    const lines = await this.stdout(s.logPath);
    if (s.exitCode !== 0) throw new Error(`${name} exited ${s.exitCode ?? `(${s.state})`}: ${lines.join(' | ')}`);
    return lines;
  }

  /** Polls the container's log until a stdout line equals `line`. */
  async waitForLine(id: string, line: string): Promise<void> {
    const { logPath } = await this.runtime.containerStatus(id);
    const deadline = Date.now() + 5000;
    while (!(await this.stdout(logPath).catch((): string[] => [])).includes(line)) {
      if (Date.now() > deadline) throw new Error(`no line ${JSON.stringify(line)} in ${logPath}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async stdout(logPath: string): Promise<string[]> {
    const text = await readFile(logPath, 'utf8');
    return text.split('\n').map((l) => /^\S+ stdout F (.*)$/.exec(l)?.[1]).filter((l): l is string => l !== undefined);
  }
}
