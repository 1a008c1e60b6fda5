// Lifecycle hook handlers (the kubelet's lifecycle/handlers.go): exec in the container, an HTTP
// GET from the node to the pod, or a sleep. A failed hook yields the kubelet's message, which the
// pod worker puts in the FailedPostStartHook event:
//   Exec lifecycle hook ([sh -c exit 1]) for Container "c" in Pod "p_ns(uid)" failed - error: command 'sh -c exit 1' exited with 1: , message: ""
//   HTTP lifecycle hook (/path) for Container "c" in Pod "p_ns(uid)" failed - error: Get "http://…": dial tcp …: connect: connection refused
// Like the kubelet's, an HTTP hook fails on no response only, whatever the status code.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Container, HTTPGetAction, LifecycleHandler, Pod } from 'kubernetes-types/core/v1.d.ts';
import { formatPod, goQuote } from '../kuberuntime/errors.ts';
import { httpGet, HttpGetError, httpGetTarget } from '../prober/http_get.ts';
import { ProbeSetupError } from '../prober/port.ts';
import { execSync } from '../runtime/exec/exec_sync.ts';
import { RuntimeError, type Runtime } from '../runtime/runtime.ts';

export interface HookTarget {
  pod: Pod;
  container: Container;
  containerId: string;
  podIP: string;
}

/** How long an exec hook may run at most: the kubelet sets no limit; a stuck one is cut at a day. */
const execHookLimitMs = 24 * 3600 * 1000;

export class HookRunner {
  private readonly runtime: Runtime;

  constructor(runtime: Runtime) {
    this.runtime = runtime;
  }

  /** Runs the handler; resolves with the kubelet's failure message, or undefined when it succeeded. */
  async run(handler: LifecycleHandler, target: HookTarget): Promise<string | undefined> {
    const who = `for Container ${goQuote(target.container.name)} in Pod ${goQuote(formatPod(target.pod))} failed`;
    if (handler.exec) {
      const command = handler.exec.command ?? [];
      const failure = await this.exec(target.containerId, command);
      return failure && `Exec lifecycle hook ([${command.join(' ')}]) ${who} - error: ${failure.error}, message: ${goQuote(failure.output)}`;
    }
    if (handler.httpGet) {
      const error = await this.httpGet(handler.httpGet, target);
      return error && `HTTP lifecycle hook (${handler.httpGet.path ?? ''}) ${who} - error: ${error}`;
    }
    if (handler.sleep) {
      await sleep(handler.sleep.seconds * 1000);
      return undefined;
    }
    return `Cannot run handler: invalid handler: ${JSON.stringify(handler)}`;
  }

  /** Why the request got no response (or could not be made); undefined when it got one. */
  private async httpGet(action: HTTPGetAction, target: HookTarget): Promise<string | undefined> {
    try {
      await httpGet(httpGetTarget(action, target.container, target.podIP, 'lifecycle'), 0);
      return undefined;
    } catch (err) {
      if (err instanceof HttpGetError || err instanceof ProbeSetupError) return err.message;
      throw err;
    }
  }

  /** The command's failure as the CRI's ExecSync words it; undefined when it exited 0. */
  private async exec(containerId: string, command: string[]): Promise<{ error: string; output: string } | undefined> {
    try {
      const { exitCode, stdout, stderr } = await execSync(this.runtime, containerId, command, execHookLimitMs);
      if (exitCode === 0) return undefined;
      return { error: `command '${command.join(' ')}' exited with ${exitCode}: ${stderr.toString('utf8')}`, output: Buffer.concat([stdout, stderr]).toString('utf8') };
    } catch (err) {
      if (!(err instanceof RuntimeError)) throw err;
      return { error: err.code === 'Failed' ? `OCI runtime exec failed: ${err.message}: unknown` : err.message, output: '' };
    }
  }
}
