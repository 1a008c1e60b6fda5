// SetDefaults_PodSpec and what hangs below it (containers, ports, probes, volumes, env), as
// applied to pods and to pod templates alike. Quantities are rewritten in canonical form, as a
// round trip through kube-apiserver does.
import type {
  Container, HTTPGetAction, LifecycleHandler, PodSpec, Probe, ResourceRequirements, Volume,
} from 'kubernetes-types/core/v1.d.ts';
import { canonicalQuantity } from '../quantity.ts';

const defaultFileMode = 0o644;

/** The tag of an image reference; "latest" when there is neither tag nor digest (ParseImageName). */
export function imageTag(image: string): string {
  const [name, digest] = image.split('@');
  const lastSlash = name!.lastIndexOf('/');
  const colon = name!.lastIndexOf(':');
  if (colon > lastSlash) return name!.slice(colon + 1);
  return digest ? '' : 'latest';
}

function defaultHTTPGet(h: HTTPGetAction | undefined): void {
  if (!h) return;
  h.path ||= '/';
  h.scheme ||= 'HTTP';
}

function defaultHandler(h: LifecycleHandler | undefined): void {
  defaultHTTPGet(h?.httpGet);
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  p.timeoutSeconds ||= 1;
  p.periodSeconds ||= 10;
  p.successThreshold ||= 1;
  p.failureThreshold ||= 3;
  defaultHTTPGet(p.httpGet);
}

function canonicalResources(r: ResourceRequirements | undefined): void {
  for (const list of [r?.limits, r?.requests]) {
    if (!list) continue;
    for (const k of Object.keys(list)) list[k] = canonicalQuantity(String(list[k]));
  }
}

function defaultContainer(c: Container): void {
  c.imagePullPolicy ||= imageTag(c.image ?? '') === 'latest' ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  for (const port of c.ports ?? []) port.protocol ||= 'TCP';
  for (const ev of c.env ?? []) {
    const ref = ev.valueFrom?.fieldRef;
    if (ref) ref.apiVersion ||= 'v1';
    const res = ev.valueFrom?.resourceFieldRef;
    if (res?.divisor !== undefined) res.divisor = canonicalQuantity(String(res.divisor));
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHandler(c.lifecycle?.postStart);
  defaultHandler(c.lifecycle?.preStop);
  canonicalResources(c.resources);
  c.resources ??= {};
}

const volumeSources = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile',
  'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume',
  'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];

function defaultVolume(v: Volume): void {
  const sources = v as unknown as Record<string, unknown>;
  if (!volumeSources.some((k) => sources[k] !== undefined && sources[k] !== null)) v.emptyDir = {};
  if (v.emptyDir?.sizeLimit !== undefined) v.emptyDir.sizeLimit = canonicalQuantity(String(v.emptyDir.sizeLimit));
  if (v.hostPath) v.hostPath.type ??= '';
  if (v.configMap) v.configMap.defaultMode ??= defaultFileMode;
  if (v.secret) v.secret.defaultMode ??= defaultFileMode;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= defaultFileMode;
    for (const item of v.downwardAPI.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ||= 'v1';
  }
  if (v.projected) {
    v.projected.defaultMode ??= defaultFileMode;
    for (const s of v.projected.sources ?? []) {
      if (s.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= 3600;
      for (const item of s.downwardAPI?.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ||= 'v1';
    }
  }
}

/** SetDefaults_PodSpec with its containers and volumes. */
export function defaultPodSpec(spec: PodSpec): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= 'default-scheduler';
  spec.containers ??= [];
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) defaultContainer(c);
  // With the host's network the container port is the host port (DefaultHostNetworkHostPortsInPodTemplates).
  if (spec.hostNetwork) {
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
      for (const p of c.ports ?? []) p.hostPort ||= p.containerPort;
    }
  }
  for (const v of spec.volumes ?? []) defaultVolume(v);
}
