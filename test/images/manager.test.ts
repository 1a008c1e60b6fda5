import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from 'kubernetes-types/core/v1.d.ts';
import { FakeClock } from '../../src/client/clock.ts';
import { goDuration } from '../../src/agent/duration.ts';
import { defaultPullPolicy, ImageManager, ImagePullError, type ImageSource } from '../../src/agent/images/manager.ts';
import { RegistryError } from '../../src/agent/images/registry/errors.ts';
import { formatReference, parseReference } from '../../src/agent/images/registry/reference.ts';
import type { Image } from '../../src/agent/images/store/images.ts';
import type { PullResult } from '../../src/agent/images/store/pull.ts';

const digest = `sha256:${'a'.repeat(64)}`;
const pod: Pod = { metadata: { name: 'p', namespace: 'default', uid: 'uid-1' } };

function image(name: string): Image {
  return { name: formatReference(parseReference(name)), digest, id: `sha256:${'b'.repeat(64)}`, config: { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }, layers: [], size: 1234 };
}

// A store whose pulls finish when the test says so, taking the clock forward by `pullMs`.
class FakeSource implements ImageSource {
  readonly present = new Map<string, Image>();
  pulls = 0;
  fail: Error | undefined;
  readonly clock: FakeClock;
  readonly pullMs: number;
  constructor(clock: FakeClock, pullMs = 1234) {
    this.clock = clock;
    this.pullMs = pullMs;
  }
  get(reference: string): Image | undefined {
    return this.present.get(formatReference(parseReference(reference)));
  }
  async pull(reference: string): Promise<PullResult> {
    this.pulls++;
    await Promise.resolve();
    this.clock.step(this.pullMs);
    if (this.fail) throw this.fail;
    const pulled = image(reference);
    this.present.set(pulled.name, pulled);
    return { image: pulled, durationMs: this.pullMs, fetchedBytes: pulled.size };
  }
}

function setup(pullMs?: number) {
  const clock = new FakeClock();
  const source = new FakeSource(clock, pullMs);
  const events: string[] = [];
  const recorder = { event: async (_obj: Pod, type: string, reason: string, message: string) => void events.push(`${type} ${reason} ${message}`) };
  const manager = new ImageManager({ store: source, clock });
  return { clock, source, events, recorder, manager };
}

const container = (image: string, imagePullPolicy?: string): Container => ({ name: 'c', image, imagePullPolicy });

async function failure(promise: Promise<unknown>): Promise<ImagePullError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ImagePullError);
    return error;
  }
  assert.fail('expected an ImagePullError');
}

describe('image manager', () => {
  test('pulls, with the kubelet events, and returns the repo digest as imageRef', async () => {
    const { events, recorder, manager } = setup();
    const ensured = await manager.ensureImage(pod, container('busybox'), recorder);
    assert.equal(ensured.imageRef, `docker.io/library/busybox@${digest}`);
    assert.deepEqual(events, [
      'Normal Pulling Pulling image "busybox"',
      'Normal Pulled Successfully pulled image "busybox" in 1.234s (1.234s including waiting). Image size: 1234 bytes.',
    ]);
  });

  test('IfNotPresent uses a present image; Always pulls again; Never never pulls', async () => {
    const { source, events, recorder, manager } = setup();
    source.present.set('docker.io/library/busybox:1.36', image('busybox:1.36'));
    await manager.ensureImage(pod, container('busybox:1.36'), recorder);
    await manager.ensureImage(pod, container('busybox:1.36', 'Never'), recorder);
    assert.equal(source.pulls, 0);
    assert.deepEqual(events, Array(2).fill('Normal Pulled Container image "busybox:1.36" already present on machine'));
    await manager.ensureImage(pod, container('busybox:1.36', 'Always'), recorder);
    assert.equal(source.pulls, 1);
    const never = await failure(manager.ensureImage(pod, container('other:1', 'Never'), recorder));
    assert.equal(never.reason, 'ErrImageNeverPull');
    assert.equal(never.message, 'Container image "other:1" is not present with pull policy of Never');
    assert.deepEqual(events.slice(-2), ['Warning ErrImageNeverPull Container image "other:1" is not present with pull policy of Never', 'Warning Failed Error: ErrImageNeverPull']);
  });

  test('default policy: Always for :latest or no tag, else IfNotPresent', () => {
    assert.equal(defaultPullPolicy('busybox'), 'Always');
    assert.equal(defaultPullPolicy('busybox:latest'), 'Always');
    assert.equal(defaultPullPolicy('busybox:1.36'), 'IfNotPresent');
    assert.equal(defaultPullPolicy(`busybox@${digest}`), 'IfNotPresent');
  });

  test('an invalid name is InvalidImageName', async () => {
    const { events, recorder, manager } = setup();
    const error = await failure(manager.ensureImage(pod, container('Busy Box'), recorder));
    assert.equal(error.reason, 'InvalidImageName');
    assert.equal(error.message, 'Failed to apply default image tag "Busy Box": couldn\'t parse image name "Busy Box": invalid reference format');
    assert.deepEqual(events, [`Warning InspectFailed ${error.message}`, 'Warning Failed Error: InvalidImageName']);
    assert.match((await failure(manager.ensureImage(pod, container('Busybox'), recorder))).message, /invalid reference format: repository name must be lowercase$/);
  });

  test('a failed pull backs off 10s, doubling to 300s', async () => {
    const { clock, source, events, recorder, manager } = setup(0);
    source.fail = new RegistryError('NotFound', 'docker.io/library/nope:latest: not found');
    const first = await failure(manager.ensureImage(pod, container('nope'), recorder));
    assert.equal(first.reason, 'ErrImagePull');
    assert.equal(first.message, 'docker.io/library/nope:latest: not found');
    assert.deepEqual(events, [
      'Normal Pulling Pulling image "nope"',
      'Warning Failed Failed to pull image "nope": docker.io/library/nope:latest: not found',
      'Warning Failed Error: ErrImagePull',
    ]);
    const backOff = await failure(manager.ensureImage(pod, container('nope'), recorder));
    assert.equal(backOff.reason, 'ImagePullBackOff');
    assert.equal(backOff.message, 'Back-off pulling image "nope"');
    assert.deepEqual(events.slice(-2), ['Normal BackOff Back-off pulling image "nope"', 'Warning Failed Error: ImagePullBackOff']);
    assert.equal(source.pulls, 1);
    const otherPod = { metadata: { ...pod.metadata, uid: 'uid-2' } };
    assert.equal((await failure(manager.ensureImage(otherPod, container('nope'), recorder))).reason, 'ErrImagePull', 'back-off is per pod');
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      let waited = 0;
      while ((await failure(manager.ensureImage(pod, container('nope'), recorder))).reason === 'ImagePullBackOff') {
        clock.step(1000);
        waited += 1000;
      }
      delays.push(waited);
    }
    assert.deepEqual(delays, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });

  test('concurrent callers share one pull and report their own waiting', async () => {
    const { source, events, recorder, manager } = setup(2500);
    const [a, b] = await Promise.all([
      manager.ensureImage(pod, container('busybox'), recorder),
      manager.ensureImage({ metadata: { uid: 'uid-2' } }, container('docker.io/library/busybox:latest'), recorder),
    ]);
    assert.equal(source.pulls, 1);
    assert.equal(a.imageRef, b.imageRef);
    assert.equal(events.filter((e) => e.includes('Successfully pulled')).length, 2);
  });

  test('durations read as Go prints them', () => {
    assert.deepEqual([0, 850, 1000, 1234, 1200, 62_500, 3_600_000].map(goDuration), ['0s', '850ms', '1s', '1.234s', '1.2s', '1m2.5s', '1h0m0s']);
  });
});
