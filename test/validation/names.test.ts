import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isQualifiedName, isValidLabelValue, isValidPortName,
} from '../../src/api/validation/names.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../src/api/validation/objectmeta.ts';
import { nameIsDNSSubdomain } from '../../src/api/validation/names.ts';
import { messages } from './helpers.ts';

test('DNS names carry Kubernetes texts', () => {
  assert.deepEqual(isDNS1123Subdomain('my.host'), []);
  assert.deepEqual(isDNS1123Subdomain('Bad_Name'), [
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  assert.deepEqual(isDNS1123Label('a.b'), [
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.deepEqual(isDNS1123Label('a'.repeat(64))[0], 'must be no more than 63 characters');
});

test('qualified names, label values, keys, env names, port names', () => {
  assert.deepEqual(isQualifiedName('example.com/app'), []);
  assert.deepEqual(isQualifiedName('/app'), ['prefix part must be non-empty']);
  assert.match(isQualifiedName('a/b/c')[0]!, /with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
  assert.deepEqual(isValidLabelValue(''), []);
  assert.match(isValidLabelValue('-x')[0]!, /^a valid label must be an empty string/);
  assert.deepEqual(isConfigMapKey('..x').at(-1), "must not start with '..'");
  assert.deepEqual(isEnvVarName('A=B'), ["a valid environment variable name must consist only of printable ASCII characters other than '='"]);
  assert.deepEqual(isValidPortName('http'), []);
  assert.deepEqual(isValidPortName('Http--'), [
    'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'must not contain consecutive hyphens',
    'must not begin or end with a hyphen',
  ]);
});

test('object meta: name required, namespace rules, labels', () => {
  assert.deepEqual(messages(validateObjectMeta({ namespace: 'default' }, true, nameIsDNSSubdomain)), [
    'metadata.name: Required value: name or generateName is required',
  ]);
  assert.deepEqual(messages(validateObjectMeta({ name: 'x' }, true, nameIsDNSSubdomain)), ['metadata.namespace: Required value']);
  assert.deepEqual(messages(validateObjectMeta({ name: 'x', namespace: 'ns' }, false, nameIsDNSSubdomain)), [
    'metadata.namespace: Forbidden: not allowed on this type',
  ]);
  assert.deepEqual(validateObjectMeta({ generateName: 'web-', name: 'web-abcde', namespace: 'd' }, true, nameIsDNSSubdomain), []);
  const errs = messages(validateObjectMeta({ name: 'x', namespace: 'd', labels: { 'a b': 'ok' }, finalizers: ['custom'] }, true, nameIsDNSSubdomain));
  assert.match(errs[0]!, /^metadata\.labels: Invalid value: "a b": name part must consist of/);
  assert.equal(errs[1], 'metadata.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified');
});

test('object meta update: identity is immutable, resourceVersion required', () => {
  const old = { name: 'a', namespace: 'd', uid: 'u1', resourceVersion: '5', creationTimestamp: '2024-01-02T03:04:05Z' };
  assert.deepEqual(validateObjectMetaUpdate(old, old), []);
  assert.deepEqual(messages(validateObjectMetaUpdate({ ...old, name: 'b', uid: 'u2', resourceVersion: '' }, old)), [
    'metadata.resourceVersion: Invalid value: "": must be specified for an update',
    'metadata.name: Invalid value: "b": field is immutable',
    'metadata.uid: Invalid value: "u2": field is immutable',
  ]);
  assert.deepEqual(messages(validateObjectMetaUpdate({ ...old, creationTimestamp: '2025-01-01T00:00:00Z' }, old)), [
    'metadata.creationTimestamp: Invalid value: 2025-01-01 00:00:00 +0000 UTC: field is immutable',
  ]);
});
