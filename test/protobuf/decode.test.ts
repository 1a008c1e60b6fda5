import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtobufObject } from '../../src/api/protobuf/decode.ts';
import { decodeBody } from '../../src/api/http/body.ts';
import { ApiError } from '../../src/api/errors.ts';
import { bytes, envelope, mapEntry, num } from './wire-builder.ts';

/** ObjectMeta as client-go writes it: every non-pointer field present, zero creationTimestamp. */
function objectMeta(name: string, namespace: string, ...more: Buffer[]): Buffer {
  return bytes(1, bytes(1, name), bytes(2, ''), bytes(3, namespace), num(7, 0), bytes(8, Buffer.alloc(0)), ...more);
}

function badRequest(run: () => unknown, message: RegExp): void {
  assert.throws(run, (err: unknown) => err instanceof ApiError && err.code === 400 && message.test(err.message));
}

describe('decodeProtobufObject', () => {
  test('a Namespace as kubectl create namespace sends it', () => {
    const body = envelope('v1', 'Namespace',
      objectMeta('team-a', '', mapEntry(11, 'env', bytes(2, 'dev'))),
      bytes(2, bytes(1, 'kubernetes')),
      bytes(3));
    const decoded = decodeProtobufObject(body);
    assert.equal(decoded.apiVersion, 'v1');
    assert.equal(decoded.kind, 'Namespace');
    assert.deepEqual(decoded.object, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a', creationTimestamp: null, labels: { env: 'dev' } },
      spec: { finalizers: ['kubernetes'] },
      status: {},
    });
  });

  test('a ConfigMap with data, binaryData as base64 and immutable=false kept', () => {
    const body = envelope('v1', 'ConfigMap',
      objectMeta('cfg', 'team-a'),
      mapEntry(2, 'a', bytes(2, '1')),
      mapEntry(2, 'b', bytes(2, 'two')),
      mapEntry(3, 'bin', bytes(2, Buffer.from([0, 1, 255]))),
      num(4, false));
    assert.deepEqual(decodeProtobufObject(body).object, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'team-a', creationTimestamp: null },
      data: { a: '1', b: 'two' },
      binaryData: { bin: 'AAH/' },
      immutable: false,
    });
  });

  test('a Secret data map is base64 of its bytes', () => {
    const body = envelope('v1', 'Secret', objectMeta('s', 'default'), mapEntry(2, 'p', bytes(2, 'xyz')), bytes(3, 'Opaque'));
    const { object } = decodeProtobufObject(body);
    assert.deepEqual(object.data, { p: 'eHl6' });
    assert.equal(object.type, 'Opaque');
  });

  test('a Deployment: pointer zero kept, IntOrString, Quantity, inline volume source, negative int', () => {
    const container = bytes(2, bytes(1, 'web'), bytes(2, 'nginx:1.25'),
      bytes(8, mapEntry(1, 'cpu', bytes(2, bytes(1, '250m')))),
      bytes(10, bytes(1, bytes(3, bytes(1, num(1, 0), num(2, 8080)))), num(2, -5)));
    const volume = bytes(1, bytes(1, 'cache'), bytes(2, bytes(2, bytes(1, 'Memory'))));
    const strategy = bytes(4, bytes(1, 'RollingUpdate'), bytes(2, bytes(1, num(1, 1), bytes(3, '25%'))));
    const body = envelope('apps/v1', 'Deployment', objectMeta('web', 'default'), bytes(2,
      num(1, 0),
      bytes(2, mapEntry(1, 'app', bytes(2, 'web'))),
      bytes(3, bytes(1, mapEntry(11, 'app', bytes(2, 'web'))), bytes(2, volume, container)),
      strategy));
    const { object } = decodeProtobufObject(body);
    assert.deepEqual(object.spec, {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          volumes: [{ name: 'cache', emptyDir: { medium: 'Memory' } }],
          containers: [{
            name: 'web',
            image: 'nginx:1.25',
            resources: { limits: { cpu: '250m' } },
            livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: -5 },
          }],
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } },
    });
  });

  test('an Event: Time at second precision, MicroTime with microseconds, int64 count', () => {
    const time = bytes(6, num(1, 1_790_000_000), num(2, 123_456_789));
    const micro = bytes(10, num(1, 1_790_000_000), num(2, 123_456_789));
    const body = envelope('v1', 'Event', objectMeta('e', 'default'), time, num(8, 3), micro);
    const { object } = decodeProtobufObject(body);
    assert.equal(object.firstTimestamp, '2026-09-21T14:13:20Z');
    assert.equal(object.eventTime, '2026-09-21T14:13:20.123456Z');
    assert.equal(object.count, 3);
  });

  test('unknown field numbers and fixed32/fixed64 fields are skipped', () => {
    // Field 78 as fixed32 (key 0xf5 0x04) and field 78 as fixed64 (key 0xf1 0x04).
    const fixed = Buffer.from([0xf5, 0x04, 1, 2, 3, 4, 0xf1, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]);
    const extra = Buffer.concat([bytes(77, 'future'), num(78, 5), fixed]);
    const body = envelope('v1', 'ServiceAccount', objectMeta('robot', 'default'), extra, num(4, false));
    assert.deepEqual(decodeProtobufObject(body).object, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'robot', namespace: 'default', creationTimestamp: null },
      automountServiceAccountToken: false,
    });
  });

  test('DeleteOptions under any group version', () => {
    const body = envelope('v1', 'DeleteOptions', num(1, 0), bytes(4, 'Foreground'));
    assert.deepEqual(decodeProtobufObject(body).object, {
      apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, propagationPolicy: 'Foreground',
    });
  });

  test('malformed bodies are 400 BadRequest', () => {
    badRequest(() => decodeProtobufObject(Buffer.from('{"kind":"Namespace"}')), /Kubernetes protobuf prefix/);
    badRequest(() => decodeProtobufObject(Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x12, 0x80])])), /truncated varint/);
    badRequest(() => decodeProtobufObject(Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x12, 0x05, 0x01])])), /runs past the end/);
    badRequest(() => decodeProtobufObject(envelope('v1', 'Namespace', num(1, 7))), /Namespace\.metadata: expected a length-delimited field/);
    badRequest(() => decodeProtobufObject(envelope('v1', 'Widget', bytes(1))), /no kind "Widget" is registered for version "v1"/);
    badRequest(() => decodeProtobufObject(envelope('v1', 'Namespace', Buffer.from([0x0b]))), /unsupported wire type 3/);
  });
});

describe('decodeBody with application/vnd.kubernetes.protobuf', () => {
  test('returns the decoded object', () => {
    const body = envelope('v1', 'Namespace', objectMeta('x', ''));
    assert.deepEqual(decodeBody(body, 'application/vnd.kubernetes.protobuf'), {
      apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', creationTimestamp: null },
    });
  });
});
