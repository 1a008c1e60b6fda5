// What the pod worker needs from the rest of the agent, as narrow seams: real images, volumes and
// network in the agent, fakes in the worker's unit tests.
import type { Container, Pod } from 'kubernetes-types/core/v1.d.ts';
import type { ImageConfig } from '../images/oci/types.ts';
import type { Image } from '../images/store/images.ts';
import type { Mount } from '../runtime/runtime.ts';

export interface PulledImage {
  image: Image;
  config: ImageConfig;
  /** repo@sha256:…, the container status's imageID. */
  imageRef: string;
}

export interface ImageService {
  /** Pulls per the container's policy, recording the kubelet's events; throws WaitingError. */
  ensureImage(pod: Pod, container: Container): Promise<PulledImage>;
  /** Mounts the image's rootfs (overlay) at DIR/rootfs and returns that path. */
  mountRootfs(dir: string, image: PulledImage): Promise<string>;
  unmountRootfs(dir: string): Promise<void>;
}

/** Downward API facts about the node and the pod's addresses. */
export interface PodContext {
  nodeName: string;
  hostIP: string;
  podIPs: string[];
  nodeAllocatable: { cpu: string; memory: string };
}

export interface VolumeService {
  /** Makes the pod's volumes; throws WaitingError (FailedMount) when a source is missing. */
  setUp(pod: Pod, context: PodContext): Promise<void>;
  /** The container's mounts; throws WaitingError (CreateContainerConfigError). */
  mounts(pod: Pod, container: Container, env: Record<string, string>): Promise<Mount[]>;
  tearDown(podUid: string): Promise<void>;
}

export interface NetworkRequest {
  sandboxId: string;
  netnsPath: string;
  pod: Pod;
}

export interface NetworkService {
  setUp(request: NetworkRequest): Promise<string[]>;
  tearDown(request: NetworkRequest): Promise<void>;
  /** The IPs a sandbox got, remembered across agent restarts. */
  podIPs(sandboxId: string): Promise<string[] | undefined>;
}

/** The pod's cgroup (the kubelet's pod container manager): made before its sandbox, removed with the pod. */
export interface PodCgroups {
  /** Makes the pod's cgroup with the pod's limits unless it exists; returns it, the sandbox's cgroupParent. */
  ensureExists(pod: Pod): Promise<string>;
  /** Removes the pod's cgroup once nothing runs in it; idempotent. */
  destroy(podUid: string): Promise<void>;
}

/** Events on a pod; recording returns at once (the writes happen in the background, in order). */
export interface Recorder {
  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/**
 * Why a container cannot start now, shown as its waiting reason (ErrImagePull,
 * CreateContainerConfigError, …). The event was recorded by whoever threw it, unless it says so.
 */
export class WaitingError extends Error {
  readonly reason: string;
  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WaitingError';
    this.reason = reason;
  }
}
