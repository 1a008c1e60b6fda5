// A hand-made slice of Kubernetes' Pod schema with the same x-kubernetes-* extensions the real
// OpenAPI carries, for the patch tests.
import type { Schema, SchemaSet } from '../../src/api/schema/schema.ts';

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str: Schema = { type: 'string' };
const strMap: Schema = { type: 'object', additionalProperties: str };

const definitions: Record<string, Schema> = {
  'io.k8s.api.core.v1.Pod': {
    type: 'object',
    properties: {
      apiVersion: str,
      kind: str,
      metadata: { allOf: [ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')] },
      spec: { allOf: [ref('io.k8s.api.core.v1.PodSpec')] },
      status: { allOf: [ref('io.k8s.api.core.v1.PodStatus')] },
    },
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Pod' }],
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    type: 'object',
    properties: {
      name: str,
      namespace: str,
      labels: strMap,
      annotations: strMap,
      finalizers: { type: 'array', items: str, 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' },
      ownerReferences: {
        type: 'array',
        items: { type: 'object', properties: { uid: str, name: str, kind: str } },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['uid'],
        'x-kubernetes-patch-merge-key': 'uid',
        'x-kubernetes-patch-strategy': 'merge',
      },
      managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      resourceVersion: str,
      uid: str,
    },
  },
  'io.k8s.api.core.v1.PodSpec': {
    type: 'object',
    required: ['containers'],
    properties: {
      containers: {
        type: 'array',
        items: ref('io.k8s.api.core.v1.Container'),
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
      },
      volumes: {
        type: 'array',
        items: ref('io.k8s.api.core.v1.Volume'),
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge,retainKeys',
      },
      tolerations: { type: 'array', items: { type: 'object', properties: { key: str, operator: str } }, 'x-kubernetes-list-type': 'atomic' },
      nodeSelector: { ...strMap, 'x-kubernetes-map-type': 'atomic' },
      nodeName: str,
      restartPolicy: str,
    },
  },
  'io.k8s.api.core.v1.Container': {
    type: 'object',
    properties: {
      name: str,
      image: str,
      command: { type: 'array', items: str, 'x-kubernetes-list-type': 'atomic' },
      env: {
        type: 'array',
        items: { type: 'object', properties: { name: str, value: str } },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
      },
      ports: {
        type: 'array',
        items: { type: 'object', properties: { containerPort: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' }, name: str } },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
        'x-kubernetes-patch-merge-key': 'containerPort',
        'x-kubernetes-patch-strategy': 'merge',
      },
      resources: { type: 'object', properties: { limits: strMap, requests: strMap } },
    },
  },
  'io.k8s.api.core.v1.Volume': {
    type: 'object',
    properties: {
      name: str,
      emptyDir: { type: 'object', properties: { medium: str } },
      hostPath: { type: 'object', properties: { path: str } },
      configMap: { type: 'object', properties: { name: str }, 'x-kubernetes-map-type': 'atomic' },
    },
  },
  'io.k8s.api.core.v1.PodStatus': {
    type: 'object',
    properties: {
      phase: str,
      conditions: {
        type: 'array',
        items: { type: 'object', properties: { type: str, status: str } },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
        'x-kubernetes-patch-merge-key': 'type',
        'x-kubernetes-patch-strategy': 'merge',
      },
    },
  },
};

export const podSchemaSet: SchemaSet = {
  definitions,
  resolve(schema) {
    let s = schema;
    for (let depth = 0; s && depth < 8; depth++) {
      if (s.$ref) s = definitions[s.$ref.replace('#/components/schemas/', '')];
      else if (s.allOf?.length === 1 && !s.type && !s.properties) s = s.allOf[0];
      else return s;
    }
    return s;
  },
  forKind(gvk) {
    return gvk.kind === 'Pod' && gvk.group === '' ? definitions['io.k8s.api.core.v1.Pod'] : undefined;
  },
};

export const podSchema: Schema = definitions['io.k8s.api.core.v1.Pod']!;
