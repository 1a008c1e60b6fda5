// The agent's components behind the pod worker's seams: volumes, network, references through
// the API, events. Each turns its component's errors into what the pod worker shows.
import type { ConfigMap, Container, Pod, Secret } from 'kubernetes-types/core/v1.d.ts';
import { isNotFound } from '../client/errors.ts';
import { resourcePath } from '../client/paths.ts';
import type { EventRecorder } from '../client/record.ts';
import type { RestClient } from '../client/rest.ts';
import type { PortMapping } from './network/config.ts';
import type { PodNetwork } from './network/pod_network.ts';
import type { NetworkRequest, NetworkService, PodContext, Recorder, VolumeService } from './podworker/deps.ts';
import { WaitingError } from './podworker/deps.ts';
import type { Mount } from './runtime/runtime.ts';
import { containerMounts, ContainerConfigError as VolumeConfigError, type PodVolumes, type VolumeManager } from './volumes/index.ts';

/** ConfigMaps and Secrets read from the API when a pod needs them (env, volumes). */
export class ApiReferences {
  private readonly client: RestClient;

  constructor(client: RestClient) {
    this.client = client;
  }

  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    return this.getOptional<ConfigMap>(resourcePath({ version: 'v1', resource: 'configmaps', namespace, name }));
  }

  getSecret(namespace: string, name: string): Promise<Secret | undefined> {
    return this.getOptional<Secret>(resourcePath({ version: 'v1', resource: 'secrets', namespace, name }));
  }

  private async getOptional<T>(path: string): Promise<T | undefined> {
    try {
      return await this.client.get<T>(path);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}

/** A missing source keeps the pod in ContainerCreating with FailedMount events, as the kubelet does. */
export class AgentVolumes implements VolumeService {
  private readonly manager: VolumeManager;
  private readonly recorder: Recorder;
  private readonly byPod = new Map<string, PodVolumes>();

  constructor(manager: VolumeManager, recorder: Recorder) {
    this.manager = manager;
    this.recorder = recorder;
  }

  async setUp(pod: Pod, context: PodContext): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const downward = { ...context, podIP: context.podIPs[0] ?? '' };
    try {
      this.byPod.set(uid, await this.manager.setUp(pod, downward));
    } catch (err) {
      if (!(err instanceof VolumeConfigError)) throw err;
      this.recorder.event(pod, 'Warning', 'FailedMount', err.mountEventMessage);
      throw new WaitingError('ContainerCreating', err.mountEventMessage, { cause: err });
    }
  }

  async mounts(pod: Pod, container: Container, env: Record<string, string>): Promise<Mount[]> {
    const volumes = this.byPod.get(pod.metadata?.uid ?? '');
    if (volumes === undefined) throw new Error(`volumes of pod ${pod.metadata?.namespace}/${pod.metadata?.name} are not set up`);
    // A volume ContainerConfigError is kuberuntime's too: the pod worker reports CreateContainerConfigError.
    return containerMounts(pod, container, volumes, env);
  }

  async tearDown(podUid: string): Promise<void> {
    await this.manager.tearDown(podUid);
    this.byPod.delete(podUid);
  }
}

/** The CNI network; hostNetwork pods have none. */
export class AgentNetwork implements NetworkService {
  private readonly network: PodNetwork;

  constructor(network: PodNetwork) {
    this.network = network;
  }

  async setUp(request: NetworkRequest): Promise<string[]> {
    const { pod } = request;
    const portMappings = (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? [])
      .filter((p) => p.hostPort !== undefined && p.hostPort > 0)
      .map((p) => ({ hostPort: p.hostPort ?? 0, containerPort: p.containerPort, protocol: (p.protocol ?? 'TCP') as PortMapping['protocol'], hostIP: p.hostIP }));
    const { ips } = await this.network.setUp({ ...identity(request), annotations: pod.metadata?.annotations ?? {}, portMappings });
    return ips;
  }

  async tearDown(request: NetworkRequest): Promise<void> {
    if (request.pod.spec?.hostNetwork === true) return;
    await this.network.tearDown(identity(request));
  }

  podIPs(sandboxId: string): Promise<string[] | undefined> {
    return this.network.podIPs(sandboxId);
  }
}

function identity(request: NetworkRequest) {
  const m = request.pod.metadata ?? {};
  return { sandboxId: request.sandboxId, netnsPath: request.netnsPath, podNamespace: m.namespace ?? '', podName: m.name ?? '', podUid: m.uid ?? '' };
}

/** Events on the pod, reported by this node's kubelet. */
export function podRecorder(recorder: EventRecorder): Recorder {
  return { event: (pod, type, reason, message) => recorder.event({ apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata }, type, reason, message) };
}
