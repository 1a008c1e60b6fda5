// A container's environment, as the kubelet's makeEnvironmentVariables builds it:
//
//   1. envFrom, in order: every key of the ConfigMap/Secret, with the prefix
//   2. env, in order: a non-empty value has its $(VAR) references expanded against what is
//      defined so far (then the service variables); otherwise valueFrom is resolved
//      (fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef)
//   3. service variables not defined above
//
// A later definition replaces an earlier one (env over envFrom). The kubelet returns them in a
// Go map's order; here each name keeps the place of its first definition. Since v1.30 the
// kubelet passes envFrom keys through without checking them as names (the API server's
// relaxed validation decides), so no key is skipped.
// A missing ConfigMap, Secret or key that is not optional stops the container from being
// created: ContainerConfigError with the kubelet's message.
import type { ConfigMap, Container, EnvVar, Pod, Secret } from 'kubernetes-types/core/v1.d.ts';
import type { KeyValue } from '../runtime/runtime.ts';
import { fieldRefValue, resourceFieldRefValue, type DownwardContext } from './downward_api.ts';
import { ContainerConfigError, goQuote } from './errors.ts';
import { expand, mappingFor } from './expansion.ts';

/** Where referenced objects come from (an informer cache or the API). undefined = not found. */
export interface EnvSources {
  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  getSecret(namespace: string, name: string): Promise<Secret | undefined>;
}

export interface EnvContext extends DownwardContext {
  nodeName: string;
  /** Service link variables (KUBERNETES_SERVICE_HOST, …), if the caller computes them. */
  serviceEnv?: Record<string, string>;
}

export async function makeEnvironmentVariables(pod: Pod, container: Container, context: EnvContext, sources: EnvSources): Promise<KeyValue[]> {
  const refs = new ReferencedObjects(pod.metadata?.namespace ?? '', sources);
  const env = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef !== undefined) {
      const cm = await refs.configMap(from.configMapRef.name ?? '', from.configMapRef.optional === true);
      for (const [k, v] of Object.entries(cm?.data ?? {})) env.set(prefix + k, v);
    } else if (from.secretRef !== undefined) {
      const secret = await refs.secret(from.secretRef.name ?? '', from.secretRef.optional === true);
      for (const [k, v] of Object.entries(secret?.data ?? {})) env.set(prefix + k, decodeSecretValue(v));
    }
  }
  const serviceEnv = new Map(Object.entries(context.serviceEnv ?? {}));
  const mapping = mappingFor(env, serviceEnv);
  const withNode: Pod = pod.spec?.nodeName ? pod : { ...pod, spec: { containers: [], ...pod.spec, nodeName: context.nodeName } };
  for (const envVar of container.env ?? []) {
    const value = envVar.value ? expand(envVar.value, mapping) : await valueFrom(envVar, withNode, container, context, refs);
    if (value !== undefined) env.set(envVar.name, value);
  }
  for (const [k, v] of serviceEnv) if (!env.has(k)) env.set(k, v);
  return [...env].map(([key, value]) => ({ key, value }));
}

// undefined: an optional source is missing and the variable is left out.
async function valueFrom(envVar: EnvVar, pod: Pod, container: Container, context: EnvContext, refs: ReferencedObjects): Promise<string | undefined> {
  const from = envVar.valueFrom;
  if (from === undefined) return '';
  if (from.fieldRef !== undefined) return fieldRefValue(from.fieldRef, pod, context);
  if (from.resourceFieldRef !== undefined) return resourceFieldRefValue(from.resourceFieldRef, pod, container, context);
  if (from.configMapKeyRef !== undefined) {
    const { name = '', key, optional = false } = from.configMapKeyRef;
    const cm = await refs.configMap(name, optional);
    if (cm === undefined) return undefined;
    const value = cm.data?.[key];
    if (value !== undefined) return value;
    if (optional) return undefined;
    throw new ContainerConfigError(`couldn't find key ${key} in ConfigMap ${refs.namespace}/${name}`);
  }
  if (from.secretKeyRef !== undefined) {
    const { name = '', key, optional = false } = from.secretKeyRef;
    const secret = await refs.secret(name, optional);
    if (secret === undefined) return undefined;
    const value = secret.data?.[key];
    if (value !== undefined) return decodeSecretValue(value);
    if (optional) return undefined;
    throw new ContainerConfigError(`couldn't find key ${key} in Secret ${refs.namespace}/${name}`);
  }
  return '';
}

// Secret data travels base64-encoded in JSON.
function decodeSecretValue(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

/** Each ConfigMap and Secret is fetched once per container, as the kubelet caches them. */
class ReferencedObjects {
  readonly namespace: string;
  readonly #sources: EnvSources;
  readonly #configMaps = new Map<string, ConfigMap>();
  readonly #secrets = new Map<string, Secret>();

  constructor(namespace: string, sources: EnvSources) {
    this.namespace = namespace;
    this.#sources = sources;
  }

  // The messages are those of the kubelet's configmap and secret managers.
  async configMap(name: string, optional: boolean): Promise<ConfigMap | undefined> {
    const cached = this.#configMaps.get(name) ?? (await this.#sources.getConfigMap(this.namespace, name));
    if (cached === undefined && !optional) throw new ContainerConfigError(`configmap ${goQuote(name)} not found`);
    if (cached !== undefined) this.#configMaps.set(name, cached);
    return cached;
  }

  async secret(name: string, optional: boolean): Promise<Secret | undefined> {
    const cached = this.#secrets.get(name) ?? (await this.#sources.getSecret(this.namespace, name));
    if (cached === undefined && !optional) throw new ContainerConfigError(`secret ${goQuote(name)} not found`);
    if (cached !== undefined) this.#secrets.set(name, cached);
    return cached;
  }
}
