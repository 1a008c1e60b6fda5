// Nodes: cluster-scoped; the agent creates its Node with the status it observes.
import type { Node } from 'kubernetes-types/core/v1.d.ts';
import { validateNode, validateNodeUpdate } from '../../validation/node.ts';
import type { KubeObject } from '../object.ts';
import { defaultNode } from '../../defaults/node.ts';
import { defineStrategy } from './define.ts';

const asNode = (obj: KubeObject) => obj as Node;

export const nodeStrategy = defineStrategy({
  resource: 'nodes',
  keepStatusOnCreate: true,
  defaults: (obj) => defaultNode(asNode(obj)),
  validate: (obj) => validateNode(asNode(obj)),
  validateUpdate: (obj, old) => validateNodeUpdate(asNode(obj), asNode(old)),
});
