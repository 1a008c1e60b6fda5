import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseDeclarationFile } from '../../src/api/schema/dts.ts';
import { definitionName, getSchemaSet } from '../../src/api/schema/index.ts';

describe('declaration parser', () => {
  test('reads docs, optional fields, arrays, maps, literals, unions and imports', () => {
    const file = parseDeclarationFile([
      'import { ObjectMeta, Time } from "../meta/v1";',
      '/**',
      ' * Thing is a test.',
      ' *',
      ' * Second paragraph.',
      ' */',
      'export interface Thing {',
      '    /** The kind. */',
      '    kind?: "Thing";',
      '    readonly items: Array<string>;',
      '    labels?: {',
      '        [name: string]: string;',
      '    };',
      '    port?: number | string;',
      '    when?: Time;',
      '}',
      '/** An alias. */',
      'export type Size = string;',
    ].join('\n'), 'thing.d.ts');
    assert.equal(file.imports.get('Time'), '../meta/v1');
    const [thing, size] = file.declarations;
    assert.ok(thing?.kind === 'interface');
    assert.equal(thing.doc, 'Thing is a test.\n\nSecond paragraph.');
    assert.deepEqual(thing.fields.map((f) => [f.name, f.optional, f.type.kind]),
      [['kind', true, 'literal'], ['items', false, 'array'], ['labels', true, 'map'], ['port', true, 'union'], ['when', true, 'ref']]);
    assert.equal(thing.fields[0]!.doc, 'The kind.');
    assert.deepEqual(size, { kind: 'alias', name: 'Size', doc: 'An alias.', type: { kind: 'primitive', name: 'string' } });
  });

  test('reports where it fails', () => {
    assert.throws(() => parseDeclarationFile('export interface X { a: ; }', 'bad.d.ts'), /bad\.d\.ts:1: expected a name/);
  });
});

describe('schema set from kubernetes-types', () => {
  const set = getSchemaSet();
  const definitions = set.definitions;

  test('is built quickly and cached', () => {
    assert.equal(getSchemaSet(), set);
    assert.ok(Object.keys(definitions).length > 200);
  });

  test('Pod has spec.containers[] with descriptions and merge keys', () => {
    const pod = set.forKind({ group: '', version: 'v1', kind: 'Pod' });
    assert.ok(pod);
    assert.match(pod.description ?? '', /^Pod is a collection of containers/);
    assert.deepEqual(pod['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'Pod' }]);
    const spec = set.resolve(pod.properties?.spec);
    const containers = spec?.properties?.containers;
    assert.equal(containers?.type, 'array');
    assert.match(containers?.description ?? '', /^List of containers belonging to the pod/);
    assert.equal(containers?.items?.$ref, '#/components/schemas/io.k8s.api.core.v1.Container');
    assert.equal(containers?.['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(containers?.['x-kubernetes-patch-strategy'], 'merge');
    assert.deepEqual(containers?.['x-kubernetes-list-map-keys'], ['name']);
    assert.equal(spec?.properties?.volumes?.['x-kubernetes-patch-strategy'], 'merge,retainKeys');
  });

  test('non-optional fields are required; refs keep their field description', () => {
    const container = definitions['io.k8s.api.core.v1.Container']!;
    assert.deepEqual(container.required, ['name']);
    const probe = container.properties?.livenessProbe;
    assert.equal(probe?.allOf?.[0]?.$ref, '#/components/schemas/io.k8s.api.core.v1.Probe');
    assert.match(probe?.description ?? '', /liveness/);
    const ports = container.properties?.ports;
    assert.deepEqual(ports?.['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
    assert.equal(ports?.['x-kubernetes-patch-merge-key'], 'containerPort');
  });

  test('numbers follow Kubernetes formats; special types are named as Kubernetes names them', () => {
    const podSpec = definitions['io.k8s.api.core.v1.PodSpec']!.properties!;
    assert.deepEqual([podSpec.activeDeadlineSeconds?.type, podSpec.activeDeadlineSeconds?.format], ['integer', 'int64']);
    assert.equal(definitions['io.k8s.api.core.v1.ContainerPort']!.properties!.containerPort!.format, 'int32');
    assert.equal(definitions['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']!.properties!.generation!.format, 'int64');
    assert.equal(definitions['io.k8s.apimachinery.pkg.apis.meta.v1.Time']!.format, 'date-time');
    assert.equal(definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']!['x-kubernetes-int-or-string'], true);
    assert.equal(definitions['io.k8s.apimachinery.pkg.api.resource.Quantity']!.type, 'string');
    const port = definitions['io.k8s.api.core.v1.HTTPGetAction']!.properties!.port!;
    assert.equal(port.allOf?.[0]?.$ref, '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  });

  test('metadata merge keys and status conditions', () => {
    const meta = definitions['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']!.properties!;
    assert.equal(meta.ownerReferences?.['x-kubernetes-patch-merge-key'], 'uid');
    assert.equal(meta.finalizers?.['x-kubernetes-patch-strategy'], 'merge');
    for (const status of ['io.k8s.api.core.v1.PodStatus', 'io.k8s.api.core.v1.NodeStatus', 'io.k8s.api.apps.v1.DeploymentStatus', 'io.k8s.api.apps.v1.ReplicaSetStatus', 'io.k8s.api.core.v1.NamespaceStatus']) {
      assert.equal(definitions[status]!.properties!.conditions?.['x-kubernetes-patch-merge-key'], 'type', status);
    }
    assert.equal(definitions['io.k8s.api.apps.v1.DeploymentSpec']!.properties!.strategy?.['x-kubernetes-patch-strategy'], 'retainKeys');
  });

  test('definitionName and forKind cover served and meta kinds', () => {
    assert.equal(definitionName({ group: 'apps', version: 'v1', kind: 'Deployment' }), 'io.k8s.api.apps.v1.Deployment');
    assert.equal(definitionName({ group: 'autoscaling', version: 'v1', kind: 'Scale' }), 'io.k8s.api.autoscaling.v1.Scale');
    assert.equal(definitionName({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' }), 'io.k8s.api.coordination.v1.Lease');
    assert.equal(definitionName({ group: '', version: 'v1', kind: 'Status' }), 'io.k8s.apimachinery.pkg.apis.meta.v1.Status');
    assert.ok(set.forKind({ group: 'apps', version: 'v1', kind: 'DeleteOptions' }));
    assert.ok(set.forKind({ group: '', version: 'v1', kind: 'PodList' }));
    assert.equal(set.forKind({ group: '', version: 'v1', kind: 'Nope' }), undefined);
  });
});
