// The agent's side of the streaming seam (server/streaming_host.ts): requests name a pod by
// namespace and name, the pod config knows the pod, the runtime its newest running container
// and ready sandbox.
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { dialPodPort } from './network/port_dial.ts';
import { latestContainers, observePod, readySandbox } from './podworker/observe.ts';
import type { Runtime } from './runtime/runtime.ts';
import { streamingErrors, type StreamingContainer, type StreamingHost, type StreamingLookupError, type StreamingPod } from './server/streaming_host.ts';

export class AgentStreaming implements StreamingHost {
  private readonly runtime: Runtime;
  private readonly findPod: (namespace: string, name: string) => Pod | undefined;

  constructor(runtime: Runtime, findPod: (namespace: string, name: string) => Pod | undefined) {
    this.runtime = runtime;
    this.findPod = findPod;
  }

  async container(namespace: string, podName: string, containerName: string): Promise<StreamingContainer | StreamingLookupError> {
    const pod = this.findPod(namespace, podName);
    if (!pod) return streamingErrors.podNotFound();
    const found = latestContainers(await observePod(this.runtime, pod.metadata?.uid ?? '')).get(containerName);
    if (found?.state !== 'running') return streamingErrors.containerNotFound(containerName);
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
    return { name: podName, uid: pod.metadata?.uid ?? '', dial: (port) => dialPodPort(sandbox.netNamespacePath, port) };
  }
}
