// The REST operations of every served resource, in OpenAPI v3 form, as kube-apiserver
// describes them: one path per collection, item and subresource; each operation with its
// x-kubernetes-action and x-kubernetes-group-version-kind (kubectl reads the PATCH ones to learn
// that the server validates fields itself).
import type { GroupVersionKind, Schema } from '../schema/schema.ts';
import type { ResourceInfo, SubresourceInfo } from '../registry/resource.ts';
import { catalog } from '../registry/catalog.ts';
import { definitionName, refTo } from '../schema/index.ts';
import { deleteParameters, listParameters, pathParameter, queryParameters, writeParameters } from './parameters.ts';

export interface Parameter {
  name: string;
  in: 'query' | 'path';
  description: string;
  required?: boolean;
  schema: { type: string; uniqueItems: boolean };
}

export type Content = Record<string, { schema: Schema }>;

export interface Operation {
  tags: string[];
  description: string;
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Content; required: true };
  responses: Record<string, { description: string; content?: Content }>;
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind': GroupVersionKind;
}

/** An operation before its tag and kind are known. */
type OperationBody = Omit<Operation, 'tags' | 'x-kubernetes-group-version-kind'>;

function finish(op: OperationBody, tag: string, gvk: GroupVersionKind): Operation {
  return { tags: [tag], ...op, 'x-kubernetes-group-version-kind': gvk };
}

export type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';
export type PathItem = { parameters: Parameter[] } & Partial<Record<Method, Operation>>;

const objectTypes = ['application/json', 'application/yaml'];
const patchTypes = ['application/apply-patch+yaml', 'application/json-patch+json',
  'application/merge-patch+json', 'application/strategic-merge-patch+json'];
const meta = (kind: string): GroupVersionKind => ({ group: '', version: 'v1', kind });

/** Paths of one group/version ("" + "v1", "apps" + "v1"), keyed by URL template. */
export function groupVersionPaths(group: string, version: string): Record<string, PathItem> {
  const paths: Record<string, PathItem> = {};
  for (const r of catalog) if (r.group === group && r.version === version) addResource(paths, r);
  return paths;
}

/** The URL prefix of a group/version: /api/v1, /apis/apps/v1. */
export function groupVersionRoot(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

function addResource(paths: Record<string, PathItem>, r: ResourceInfo): void {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const name = new OperationNames(r);
  const scope = r.namespaced ? [pathParameter('namespace', r.kind)] : [];
  const collection = `${groupVersionRoot(r.group, r.version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}`;
  const has = (verb: string): boolean => r.verbs.includes(verb);
  const build = (op: OperationBody): Operation => finish(op, name.tag, gvk);

  const collectionItem: PathItem = { parameters: [...scope, ...queryParameters('pretty')] };
  if (has('list')) collectionItem.get = build(list(r, name.id('list'), `list or watch objects of kind ${r.kind}`));
  if (has('create')) collectionItem.post = build(write('post', name.id('create'), `create a ${r.kind}`, gvk));
  if (has('deletecollection')) {
    collectionItem.delete = build({
      description: `delete collection of ${r.kind}`, operationId: name.id('delete', 'Collection'),
      parameters: queryParameters(...deleteParameters, ...listParameters.filter((p) => p !== 'watch' && p !== 'allowWatchBookmarks')),
      requestBody: body(objectTypes, definitionName(meta('DeleteOptions'))),
      responses: ok(['200'], definitionName(meta('Status'))), 'x-kubernetes-action': 'deletecollection' });
  }
  if (collectionItem.get || collectionItem.post || collectionItem.delete) paths[collection] = collectionItem;

  const itemPath = `${collection}/{name}`;
  const item: PathItem = { parameters: [pathParameter('name', r.kind), ...scope, ...queryParameters('pretty')] };
  if (has('get')) item.get = build({ description: `read the specified ${r.kind}`, operationId: name.id('read'),
    responses: ok(['200'], definitionName(gvk)), 'x-kubernetes-action': 'get' });
  if (has('update')) item.put = build(write('put', name.id('replace'), `replace the specified ${r.kind}`, gvk));
  if (has('patch')) item.patch = build(patch(name.id('patch'), `partially update the specified ${r.kind}`, gvk));
  if (has('delete')) item.delete = build({ description: `delete a ${r.kind}`, operationId: name.id('delete'),
    parameters: queryParameters(...deleteParameters), requestBody: body(objectTypes, definitionName(meta('DeleteOptions'))),
    responses: ok(['200', '202'], definitionName(r.kind === 'Pod' ? gvk : meta('Status'))), 'x-kubernetes-action': 'delete' });
  if (item.get || item.put || item.patch || item.delete) paths[itemPath] = item;

  if (r.namespaced && has('list')) {
    paths[`${groupVersionRoot(r.group, r.version)}/${r.resource}`] = {
      parameters: queryParameters('pretty'),
      get: build(list(r, name.id('list', '', 'ForAllNamespaces', false), `list or watch objects of kind ${r.kind}`)),
    };
  }
  for (const sub of r.subresources) paths[`${itemPath}/${sub.name}`] = subresource(r, sub, name, item.parameters);
}

function subresource(r: ResourceInfo, sub: SubresourceInfo, name: OperationNames, parameters: Parameter[]): PathItem {
  const gvk = { group: sub.group ?? r.group, version: sub.version ?? r.version, kind: sub.kind };
  const suffix = sub.name[0]!.toUpperCase() + sub.name.slice(1);
  const item: PathItem = { parameters: [...parameters.slice(0, -1), ...queryParameters('pretty')] };
  const what = `${sub.name} of the specified ${r.kind}`;
  const with_ = (op: OperationBody): Operation => finish(op, name.tag, gvk);
  if (['exec', 'attach', 'portforward'].includes(sub.name)) {
    const params = sub.name === 'exec' ? ['command', 'container', 'stderr', 'stdin', 'stdout', 'tty']
      : sub.name === 'attach' ? ['container', 'stderr', 'stdin', 'stdout', 'tty'] : ['ports'];
    for (const method of ['get', 'post'] as const) {
      item[method] = with_({ description: `connect ${method.toUpperCase()} requests to ${sub.name} of ${r.kind}`,
        operationId: name.id(`connect${method === 'get' ? 'Get' : 'Post'}`, '', suffix),
        parameters: queryParameters(...params), responses: text(['*/*']), 'x-kubernetes-action': 'connect' });
    }
    return item;
  }
  if (sub.name === 'log') {
    item.get = with_({ description: `read log of the specified ${r.kind}`, operationId: name.id('read', '', 'Log'),
      parameters: queryParameters('container', 'follow', 'limitBytes', 'previous', 'sinceSeconds', 'tailLines', 'timestamps'),
      responses: text(['text/plain', 'application/json', 'application/yaml']), 'x-kubernetes-action': 'get' });
    return item;
  }
  if (sub.verbs.includes('get')) item.get = with_({ description: `read ${what}`, operationId: name.id('read', '', suffix),
    responses: ok(['200'], definitionName(gvk)), 'x-kubernetes-action': 'get' });
  if (sub.verbs.includes('update')) item.put = with_(write('put', name.id('replace', '', suffix), `replace ${what}`, gvk));
  if (sub.verbs.includes('patch')) item.patch = with_(patch(name.id('patch', '', suffix), `partially update ${what}`, gvk));
  if (sub.verbs.includes('create')) item.post = with_(write('post', name.id('create', '', suffix), `create ${sub.name} of a ${r.kind}`, gvk));
  return item;
}

function list(r: ResourceInfo, operationId: string, description: string): OperationBody {
  const listKind = definitionName({ group: r.group, version: r.version, kind: r.listKind });
  const responses = ok(['200'], listKind);
  const content = responses['200']!.content!;
  content['application/json;stream=watch'] = { schema: { $ref: refTo(listKind) } };
  return { description, operationId, parameters: queryParameters(...listParameters), responses, 'x-kubernetes-action': 'list' };
}

function write(method: 'post' | 'put', operationId: string, description: string, gvk: GroupVersionKind): OperationBody {
  const def = definitionName(gvk);
  return { description, operationId, parameters: queryParameters(...writeParameters), requestBody: body(['*/*'], def),
    responses: ok(method === 'post' ? ['200', '201', '202'] : ['200', '201'], def), 'x-kubernetes-action': method === 'post' ? 'post' : 'put' };
}

function patch(operationId: string, description: string, gvk: GroupVersionKind): OperationBody {
  const def = definitionName(gvk);
  return { description, operationId, parameters: queryParameters(...writeParameters, 'force'),
    requestBody: body(patchTypes, definitionName(meta('Patch'))), responses: ok(['200', '201'], def), 'x-kubernetes-action': 'patch' };
}

function body(types: string[], definition: string): { content: Content; required: true } {
  return { content: Object.fromEntries(types.map((t) => [t, { schema: { $ref: refTo(definition) } }])), required: true };
}

function ok(codes: string[], definition: string): Operation['responses'] {
  const responses: Operation['responses'] = {};
  const descriptions: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted' };
  for (const code of codes) {
    responses[code] = { description: descriptions[code]!, content: Object.fromEntries(objectTypes.map((t) => [t, { schema: { $ref: refTo(definition) } }])) };
  }
  responses['401'] = { description: 'Unauthorized' };
  return responses;
}

function text(types: string[]): Operation['responses'] {
  return { '200': { description: 'OK', content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'string' } }])) },
    '401': { description: 'Unauthorized' } };
}

/** Operation ids and tags as Kubernetes forms them: listCoreV1NamespacedPod, patchAppsV1NamespacedDeploymentScale. */
class OperationNames {
  readonly tag: string;
  private readonly gv: string;
  private readonly r: ResourceInfo;

  constructor(r: ResourceInfo) {
    this.r = r;
    const group = r.group === '' ? 'core' : r.group.split('.')[0]!;
    this.tag = `${group}_${r.version}`;
    this.gv = capitalize(group) + capitalize(r.version);
  }

  id(verb: string, infix = '', suffix = '', scoped = true): string {
    return `${verb}${this.gv}${infix}${scoped && this.r.namespaced ? 'Namespaced' : ''}${this.r.kind}${suffix}`;
  }
}

function capitalize(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}
