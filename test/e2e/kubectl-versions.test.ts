// The older and newer kubectl beside 1.32: 1.27 (v2beta1 discovery, protobuf OpenAPI v2 for
// validation) and 1.33 go through the everyday commands against one server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, type KubectlVersion } from '../support/kubectl.ts';
import { podManifest } from '../support/manifests.ts';
import { startServer, type TestServer } from '../support/server.ts';

const versions: KubectlVersion[] = ['1.27', '1.33'];

describe('kubectl 1.27 and 1.33 against peapod', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  for (const version of versions) {
    const name = `v${version.replace('.', '-')}`;
    const run = async (args: string[], input?: string) => {
      const result = await kubectl({ ...server, cacheDir: `${server.cacheDir}-${version}` }, args, { version, input });
      assert.equal(result.code, 0, `kubectl ${version} ${args.join(' ')}:\n${result.stderr}`);
      return result.stdout;
    };

    test(`kubectl ${version}: apply, get, label, patch, delete`, async () => {
      assert.equal(await run(['apply', '-f', '-'], podManifest(name)), `pod/${name} created\n`);
      assert.equal(await run(['apply', '-f', '-'], podManifest(name)), `pod/${name} unchanged\n`);
      assert.equal(await run(['apply', '-f', '-'], podManifest(name, { labels: { v: version } })), `pod/${name} configured\n`);
      assert.match(await run(['get', 'pod', name]), new RegExp(`^NAME +READY +STATUS +RESTARTS +AGE\\n${name} +0/1 +Pending +0 +\\d+s\\n$`));
      assert.equal(await run(['label', 'pod', name, 'extra=1']), `pod/${name} labeled\n`);
      assert.equal(await run(['patch', 'pod', name, '-p', '{"metadata":{"annotations":{"a":"b"}}}']), `pod/${name} patched\n`);
      assert.equal(await run(['get', 'pod', name, '-o', 'jsonpath={.metadata.labels.extra} {.metadata.annotations.a}']), '1 b');
      assert.equal(await run(['delete', 'pod', name]), `pod "${name}" deleted\n`);
    });

    test(`kubectl ${version}: create namespace (protobuf body) and api-resources`, async () => {
      assert.equal(await run(['create', 'namespace', `${name}-ns`]), `namespace/${name}-ns created\n`);
      assert.match(await run(['api-resources']), /^pods +po +v1 +true +Pod$/m);
    });
  }
});
