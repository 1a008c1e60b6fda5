// The kubelet's image manager (pkg/kubelet/images): makes sure a container's image is on the node
// before the container is created, by its pull policy, with a back-off per pod and image after a
// failed pull, and records the kubelet's events on the pod.
//
//   image name ─▶ valid? ──no──▶ InvalidImageName
//        │ present? + policy (Always | IfNotPresent | Never)
//        ├─ no pull needed: present ─▶ "already present"     absent (Never) ─▶ ErrImageNeverPull
//        ├─ in back-off ─▶ ImagePullBackOff
//        └─ Pulling ─▶ store.pull (one per image, shared by concurrent callers)
//                        ├─ ok ─▶ Pulled "in 1.2s (1.3s including waiting). Image size: N bytes."
//                        └─ fail ─▶ Failed, back-off.next ─▶ ErrImagePull
//
// Every failure is also recorded as `Failed "Error: <reason>"`, as kuberuntime's startContainer
// does; callers only turn the thrown ImagePullError into the container's waiting state.
import type { Container, Pod } from 'kubernetes-types/core/v1.d.ts';
import { Backoff } from '../../client/backoff.ts';
import { realClock, type Clock } from '../../client/clock.ts';
import { invalidImageName, messages, reasons } from './events.ts';
import { formatReference, parseReference } from './registry/reference.ts';
import type { Image } from './store/images.ts';
import type { PullResult } from './store/pull.ts';

export type ImagePullReason = 'ErrImagePull' | 'ImagePullBackOff' | 'InvalidImageName' | 'ErrImageNeverPull';

/** Why a container's image is not there; `message` is what its waiting state shows. */
export class ImagePullError extends Error {
  readonly reason: ImagePullReason;

  constructor(reason: ImagePullReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImagePullError';
    this.reason = reason;
  }
}

/** What the manager needs of the image store (ImageStore has it). */
export interface ImageSource {
  get(reference: string): Image | undefined;
  pull(reference: string): Promise<PullResult>;
}

/** client-go's EventRecorder.event, as src/client/record.ts implements it. */
export interface ImageEventRecorder {
  event(obj: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export interface EnsuredImage {
  image: Image;
  /** repo@sha256:…, what the container status's imageID shows. */
  imageRef: string;
}

export interface ImageManagerOptions {
  store: ImageSource;
  clock?: Pick<Clock, 'now'>;
  backOff?: { initialMs: number; maxMs: number };
}

// The kubelet's image back-off: backOffPeriod 10 s, MaxContainerBackOff 300 s.
const defaultBackOff = { initialMs: 10_000, maxMs: 300_000 };

export class ImageManager {
  private readonly store: ImageSource;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly backOff: Backoff;
  private readonly pulls = new Map<string, Promise<PullResult>>();

  constructor(options: ImageManagerOptions) {
    this.store = options.store;
    this.clock = options.clock ?? realClock;
    const { initialMs, maxMs } = options.backOff ?? defaultBackOff;
    this.backOff = new Backoff(initialMs, maxMs, this.clock);
  }

  async ensureImage(pod: Pod, container: Container, recorder: ImageEventRecorder): Promise<EnsuredImage> {
    const name = container.image ?? '';
    const fail = (reason: ImagePullReason, message: string, cause?: unknown): never => {
      recorder.event(pod, 'Warning', reasons.failed, messages.error(reason));
      throw new ImagePullError(reason, message, { cause });
    };
    const invalid = invalidImageName(name);
    if (invalid !== undefined) {
      const message = messages.invalidName(name, invalid);
      recorder.event(pod, 'Warning', reasons.inspectFailed, message);
      return fail('InvalidImageName', message);
    }
    const present = this.store.get(name);
    const policy = container.imagePullPolicy ?? defaultPullPolicy(name);
    if (policy === 'Never' || (policy === 'IfNotPresent' && present !== undefined)) {
      if (present !== undefined) {
        recorder.event(pod, 'Normal', reasons.pulled, messages.present(name));
        return { image: present, imageRef: imageRef(present) };
      }
      const message = messages.neverPull(name);
      recorder.event(pod, 'Warning', reasons.neverPull, message);
      return fail('ErrImageNeverPull', message);
    }
    const backOffKey = `${pod.metadata?.uid ?? ''}_${name}`;
    if (this.backOff.inBackOffSinceUpdate(backOffKey)) {
      const message = messages.backOff(name);
      recorder.event(pod, 'Normal', reasons.backOff, message);
      return fail('ImagePullBackOff', message);
    }
    recorder.event(pod, 'Normal', reasons.pulling, messages.pulling(name));
    const started = this.clock.now();
    let pulled: PullResult;
    try {
      pulled = await this.pullShared(name);
    } catch (error) {
      const why = (error as Error).message;
      recorder.event(pod, 'Warning', reasons.failed, messages.failedPull(name, why));
      this.backOff.next(backOffKey);
      return fail('ErrImagePull', why, error);
    }
    const { image, durationMs } = pulled;
    recorder.event(pod, 'Normal', reasons.pulled, messages.pulled(name, durationMs, this.clock.now() - started, image.size));
    this.backOff.gc();
    return { image, imageRef: imageRef(image) };
  }

  // Callers that want the same image while it is being pulled wait for that pull.
  private pullShared(name: string): Promise<PullResult> {
    const key = formatReference(parseReference(name));
    let pull = this.pulls.get(key);
    if (pull === undefined) {
      pull = this.store.pull(name).finally(() => this.pulls.delete(key));
      this.pulls.set(key, pull);
    }
    return pull;
  }
}

/** The API server's default: Always for :latest or no tag (and no digest), else IfNotPresent. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  try {
    return parseReference(image).tag === 'latest' ? 'Always' : 'IfNotPresent';
  } catch {
    return 'IfNotPresent';
  }
}

function imageRef(image: Image): string {
  const { registry, repository } = parseReference(image.name);
  return formatReference({ registry, repository, digest: image.digest });
}
