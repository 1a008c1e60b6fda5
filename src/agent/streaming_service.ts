// The agent's side of the streaming seam (server/streaming_host.ts): requests name a pod by
// namespace and name, the pod config knows the pod, the runtime its newest running container
// and ready sandbox; connections into a pod's network go through its port relay.
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import type { PortRelays } from './network/port_relay.ts';
import { latestContainers, observePod, readySandbox } from './podworker/observe.ts';
import type { Runtime } from './runtime/runtime.ts';
import { streamingErrors, type RemoteCommandVerb, type StreamingContainer, type StreamingHost, type StreamingLookupError, type StreamingPod } from './server/streaming_host.ts';

export class AgentStreaming implements StreamingHost {
  private readonly runtime: Runtime;
  private readonly relays: PortRelays;
  private readonly findPod: (namespace: string, name: string) => Pod | undefined;

  constructor(runtime: Runtime, relays: PortRelays, findPod: (namespace: string, name: string) => Pod | undefined) {
    this.runtime = runtime;
    this.relays = relays;
    this.findPod = findPod;
  }

  async container(verb: RemoteCommandVerb, namespace: string, podName: string, containerName: string): Promise<StreamingContainer | StreamingLookupError> {
    const pod = this.findPod(namespace, podName);
    if (!pod) return streamingErrors.podNotFound();
    const found = latestContainers(await observePod(this.runtime, pod.metadata?.uid ?? '')).get(containerName);
    if (found?.state !== 'running') {
      return verb === 'exec' ? streamingErrors.containerNotFound(containerName) : streamingErrors.attachContainerNotFound(containerName, `${podName}_${namespace}`);
    }
    return {
      exec: (options) => this.runtime.exec(found.id, options),
      attach: (options) => this.runtime.attach(found.id, options),
    };
  }

  async pod(namespace: string, podName: string): Promise<StreamingPod | StreamingLookupError> {
    const pod = this.findPod(namespace, podName);
    if (!pod) return streamingErrors.podNotFound();
    const sandbox = readySandbox(await observePod(this.runtime, pod.metadata?.uid ?? ''));
    if (!sandbox) return streamingErrors.sandboxNotFound(`${podName}_${namespace}`);
    return { name: podName, uid: pod.metadata?.uid ?? '', dial: (port) => this.relays.dial(sandbox.netNamespacePath, port) };
  }
}
