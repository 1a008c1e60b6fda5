// kubectl 1.32's typed-clientset commands send their bodies as Kubernetes protobuf.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.ts';
import { kubectl } from '../support/kubectl.ts';

let server: TestServer;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

async function ok(args: string[]): Promise<string> {
  const result = await kubectl(server, args);
  assert.equal(result.code, 0, `kubectl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

test('kubectl create namespace and configmap send protobuf', async () => {
  const result = await kubectl(server, ['create', 'namespace', 'team-a', '-v=8']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf/);
  assert.match(result.stdout, /^namespace\/team-a created$/m);
  assert.match(await ok(['get', 'ns', 'team-a']), /^team-a\s+Active\s/m);
  assert.equal(await ok(['create', 'configmap', 'cfg', '--from-literal=a=1', '-n', 'team-a']), 'configmap/cfg created\n');
  assert.equal(await ok(['get', 'configmap', 'cfg', '-n', 'team-a', '-o', 'jsonpath={.data.a}']), '1');
});

test('kubectl create secret generic keeps the bytes', async () => {
  assert.equal(await ok(['create', 'secret', 'generic', 's', '--from-literal=p=xyz']), 'secret/s created\n');
  assert.equal(await ok(['get', 'secret', 's', '-o', 'jsonpath={.data.p}']), Buffer.from('xyz').toString('base64'));
});

test('kubectl create serviceaccount', async () => {
  assert.equal(await ok(['create', 'serviceaccount', 'robot']), 'serviceaccount/robot created\n');
  assert.equal(await ok(['get', 'serviceaccount', 'robot', '-o', 'jsonpath={.metadata.name}']), 'robot');
});

test('kubectl create deployment --replicas=2', async () => {
  assert.equal(await ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2']), 'deployment.apps/web created\n');
  assert.equal(await ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}']), '2');
  assert.equal(await ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.25');
});

test('kubectl create service clusterip', async () => {
  assert.equal(await ok(['create', 'service', 'clusterip', 'svc', '--tcp=80:8080']), 'service/svc created\n');
  assert.equal(await ok(['get', 'service', 'svc', '-o', 'jsonpath={.spec.ports[0].targetPort}']), '8080');
});
