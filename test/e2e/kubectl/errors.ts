// Every rejection, with kubectl's exact stderr and exit code 1 — and nothing stored afterwards.
// Invalid (422) errors print as "The Pod "x" is invalid: <cause>" for one cause, or a header line
// and "* <cause>" lines for several (kubectl's MultilineError).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podManifest } from '../../support/manifests.ts';
import { lines, type Cluster } from './context.ts';

const dns1123Subdomain =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start " +
  "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const podUpdateForbidden =
  'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,' +
  '`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** kubectl's rendering of a 422 Invalid Status for `kind`/`name` with these causes. */
export function invalid(kind: string, name: string, causes: string[]): string {
  const prefix = `The ${kind} "${name}" is invalid: `;
  return causes.length === 1 ? `${prefix}${causes[0]}\n` : `${prefix}\n${lines(causes.map((c) => `* ${c}`))}`;
}

function pod(name: string, spec: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
}

export function errorTests(cluster: Cluster): void {
  const rejectedCreate = async (name: string, manifest: string, stderr: string) => {
    const result = await cluster.run(['create', '-f', '-'], { input: manifest });
    assert.deepEqual(result, { code: 1, stdout: '', stderr });
    await cluster.assertPodAbsent(name);
  };

  test('a pod without containers is invalid', () =>
    rejectedCreate('no-ctr', pod('no-ctr', '  containers: []\n'), invalid('Pod', 'no-ctr', ['spec.containers: Required value'])));

  test('a pod name that is not a DNS subdomain is invalid', () =>
    rejectedCreate('Bad_Name', podManifest('Bad_Name'), invalid('Pod', 'Bad_Name', [`metadata.name: Invalid value: "Bad_Name": ${dns1123Subdomain}`])));

  test('several causes are listed one per line', () =>
    rejectedCreate(
      'Bad_Two',
      pod('Bad_Two', '  containers: []\n'),
      invalid('Pod', 'Bad_Two', [`metadata.name: Invalid value: "Bad_Two": ${dns1123Subdomain}`, 'spec.containers: Required value']),
    ));

  test('duplicate container names are invalid', () =>
    rejectedCreate(
      'dup-ctr',
      podManifest('dup-ctr').replace('  - name: app\n    image: nginx:1.25\n', '  - name: app\n    image: nginx:1.25\n  - name: app\n    image: busybox:1.36\n'),
      invalid('Pod', 'dup-ctr', ['spec.containers[1].name: Duplicate value: "app"']),
    ));

  test('duplicate port names are invalid', () =>
    rejectedCreate(
      'dup-port',
      pod('dup-port', '  containers:\n  - name: app\n    image: nginx:1.25\n    ports:\n    - {name: http, containerPort: 80}\n    - {name: http, containerPort: 8080}\n'),
      invalid('Pod', 'dup-port', ['spec.containers[0].ports[1].name: Duplicate value: "http"']),
    ));

  test('restartPolicy Sometimes is not supported', () =>
    rejectedCreate(
      'rp-bad',
      pod('rp-bad', '  restartPolicy: Sometimes\n  containers:\n  - name: app\n    image: nginx:1.25\n'),
      invalid('Pod', 'rp-bad', ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']),
    ));

  test('a negative terminationGracePeriodSeconds is accepted with a warning', async () => {
    // Kubernetes keeps accepting it for compatibility; it warns and treats it as 1 second.
    const manifest = pod('neg-grace', '  terminationGracePeriodSeconds: -5\n  containers:\n  - name: app\n    image: nginx:1.25\n');
    const result = await cluster.run(['create', '-f', '-'], { input: manifest });
    assert.deepEqual(result, {
      code: 0,
      stdout: 'pod/neg-grace created\n',
      stderr: 'Warning: spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1\n',
    });
  });

  test('an unknown field is rejected by strict field validation', () =>
    rejectedCreate(
      'unknown-f',
      pod('unknown-f', '  containers:\n  - name: app\n    image: nginx:1.25\n    imagePullPolicyy: Always\n'),
      'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: ' +
        'strict decoding error: unknown field "spec.containers[0].imagePullPolicyy"\n',
    ));

  test('malformed YAML is reported by kubectl itself', async () => {
    const result = await cluster.run(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad-yaml\n  labels: {a: b\n' });
    assert.deepEqual(result, {
      code: 1,
      stdout: '',
      stderr: "error: error parsing STDIN: error converting YAML to JSON: yaml: line 5: did not find expected ',' or '}'\n",
    });
  });

  test('a malformed JSON body gets the server 400', async () => {
    const result = await cluster.run(['create', '--raw', '/api/v1/namespaces/default/pods', '-f', '-'], { input: '{"apiVersion":"v1","kind":"Pod",' });
    assert.deepEqual(result, {
      code: 1,
      stdout: '',
      stderr:
        'Error from server (BadRequest): the object provided is unrecognized (must be of type Pod): ' +
        `couldn't get version/kind; json parse error: unexpected end of JSON input ({"apiVersion":"v1","kind":"Pod ...)\n`,
    });
  });

  test('creating an existing name fails with AlreadyExists', async () => {
    await cluster.create(podManifest('dup-name', { labels: { first: 'yes' } }), ['pod/dup-name created']);
    const result = await cluster.run(['create', '-f', '-'], { input: podManifest('dup-name', { labels: { first: 'no' } }) });
    assert.deepEqual(result, { code: 1, stdout: '', stderr: 'Error from server (AlreadyExists): error when creating "STDIN": pods "dup-name" already exists\n' });
    assert.equal(await cluster.jsonpath('dup-name', '{.metadata.labels.first}'), 'yes');
  });

  test('creating in a missing namespace fails with NotFound', async () => {
    const result = await cluster.run(['create', '-f', '-'], { input: podManifest('in-nope', { namespace: 'nope' }) });
    assert.deepEqual(result, { code: 1, stdout: '', stderr: 'Error from server (NotFound): error when creating "STDIN": namespaces "nope" not found\n' });
  });

  test('getting a missing pod fails with NotFound', async () => {
    const result = await cluster.run(['get', 'pod', 'nope']);
    assert.deepEqual(result, { code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n' });
  });

  test('replace with a stale resourceVersion fails with Conflict', async () => {
    await cluster.create(podManifest('stale'), ['pod/stale created']);
    const staleVersion = await cluster.jsonpath('stale', '{.metadata.resourceVersion}');
    await cluster.ok(['label', 'pod', 'stale', 'bump=1']);
    const manifest = podManifest('stale', { labels: { replaced: 'yes' } }).replace('  name: stale\n', `  name: stale\n  resourceVersion: "${staleVersion}"\n`);
    const result = await cluster.run(['replace', '-f', '-'], { input: manifest });
    assert.deepEqual(result, {
      code: 1,
      stdout: '',
      stderr:
        'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on pods "stale": ' +
        'the object has been modified; please apply your changes to the latest version and try again\n',
    });
    assert.equal(await cluster.jsonpath('stale', '{.metadata.labels}'), '{"bump":"1"}');
  });

  test('replace changing an immutable pod field is forbidden', async () => {
    const withCommand = (command: string) => podManifest('immut-r').replace('    image: nginx:1.25\n', `    image: nginx:1.25\n    command: ["${command}"]\n`);
    await cluster.create(withCommand('one'), ['pod/immut-r created']);
    const result = await cluster.run(['replace', '-f', '-'], { input: withCommand('two') });
    assert.equal(result.code, 1, result.stdout);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.split('\n')[0], `The Pod "immut-r" is invalid: ${podUpdateForbidden}`);
    assert.equal(await cluster.jsonpath('immut-r', '{.spec.containers[0].command}'), '["one"]');
  });

  test('apply changing an immutable pod field is forbidden', async () => {
    const withCommand = (command: string) => podManifest('immut-a').replace('    image: nginx:1.25\n', `    image: nginx:1.25\n    command: ["${command}"]\n`);
    assert.equal((await cluster.ok(['apply', '-f', '-'], { input: withCommand('one') })).stdout, 'pod/immut-a created\n');
    const result = await cluster.run(['apply', '-f', '-'], { input: withCommand('two') });
    assert.equal(result.code, 1, result.stdout);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.split('\n')[0], `The Pod "immut-a" is invalid: ${podUpdateForbidden}`);
    assert.equal(await cluster.jsonpath('immut-a', '{.spec.containers[0].command}'), '["one"]');
  });
}
