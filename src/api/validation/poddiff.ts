// The spec diff kube-apiserver appends to "pod updates may not change fields ..." — go-cmp's
// cmp.Diff(old, new) of the internal core.PodSpec. Rendered like cmp: lines prefixed "  ", "- "
// or "+ ", tab-indented, runs of unchanged fields collapsed to "... // N identical fields" with two
// fields of context, and values in Go syntax. Struct field orders are Kubernetes' internal ones.
import type { PodSpec } from 'kubernetes-types/core/v1.d.ts';
import { deepEqual } from './objectmeta.ts';

type Json = unknown;
type Obj = Record<string, Json>;

const podSpecFields = [
  'volumes', 'initContainers', 'containers', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds',
  'activeDeadlineSeconds', 'dnsPolicy', 'nodeSelector', 'serviceAccountName', 'automountServiceAccountToken', 'nodeName',
  'securityContext', 'imagePullSecrets', 'hostname', 'subdomain', 'setHostnameAsFQDN', 'affinity', 'schedulerName',
  'tolerations', 'hostAliases', 'priorityClassName', 'priority', 'preemptionPolicy', 'dnsConfig', 'readinessGates',
  'runtimeClassName', 'overhead', 'enableServiceLinks', 'topologySpreadConstraints', 'os', 'schedulingGates',
  'resourceClaims', 'resources',
];
const containerFields = [
  'name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources', 'resizePolicy',
  'restartPolicy', 'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle',
  'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty',
];
const podSecurityContextFields = [
  'hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'hostUsers', 'seLinuxOptions', 'windowsOptions',
  'runAsUser', 'runAsGroup', 'runAsNonRoot', 'supplementalGroups', 'supplementalGroupsPolicy', 'fsGroup',
  'fsGroupChangePolicy', 'sysctls', 'seccompProfile', 'appArmorProfile', 'seLinuxChangePolicy',
];
/** Go types and field orders by JSON field name, for the structs whose diff is most often shown. */
const types: Record<string, { go: string; fields?: readonly string[] }> = {
  containers: { go: '[]core.Container', fields: containerFields },
  initContainers: { go: '[]core.Container', fields: containerFields },
  ports: { go: '[]core.ContainerPort', fields: ['name', 'hostPort', 'containerPort', 'protocol', 'hostIP'] },
  env: { go: '[]core.EnvVar', fields: ['name', 'value', 'valueFrom'] },
  volumes: { go: '[]core.Volume' },
  volumeMounts: { go: '[]core.VolumeMount', fields: ['name', 'readOnly', 'recursiveReadOnly', 'mountPath', 'subPath', 'mountPropagation', 'subPathExpr'] },
  tolerations: { go: '[]core.Toleration', fields: ['key', 'operator', 'value', 'effect', 'tolerationSeconds'] },
  resources: { go: 'core.ResourceRequirements', fields: ['limits', 'requests', 'claims'] },
  nodeSelector: { go: 'map[string]string' },
  command: { go: '[]string' },
  args: { go: '[]string' },
  livenessProbe: { go: '&core.Probe' },
  readinessProbe: { go: '&core.Probe' },
  startupProbe: { go: '&core.Probe' },
  lifecycle: { go: '&core.Lifecycle' },
};
const pointerFields = new Set([
  'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'automountServiceAccountToken', 'enableServiceLinks',
  'priority', 'preemptionPolicy', 'runtimeClassName', 'setHostnameAsFQDN', 'shareProcessNamespace',
  'runAsUser', 'runAsGroup', 'runAsNonRoot', 'fsGroup', 'privileged', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation',
  'tolerationSeconds', 'defaultMode', 'mode', 'optional', 'hostUsers',
]);
const goNames: Record<string, string> = {
  tty: 'TTY', dnsPolicy: 'DNSPolicy', dnsConfig: 'DNSConfig', fsGroup: 'FSGroup', fsGroupChangePolicy: 'FSGroupChangePolicy',
  seLinuxOptions: 'SELinuxOptions', seLinuxChangePolicy: 'SELinuxChangePolicy', hostIPC: 'HostIPC', hostPID: 'HostPID',
  httpGet: 'HTTPGet', tcpSocket: 'TCPSocket', grpc: 'GRPC', uid: 'UID', hostIP: 'HostIP', ip: 'IP', os: 'OS',
  setHostnameAsFQDN: 'SetHostnameAsFQDN',
};
const stringFields = new Set([
  'name', 'image', 'workingDir', 'hostIP', 'protocol', 'value', 'key', 'operator', 'effect', 'mountPath', 'subPath',
  'subPathExpr', 'restartPolicy', 'dnsPolicy', 'serviceAccountName', 'nodeName', 'hostname', 'subdomain', 'schedulerName',
  'priorityClassName', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy',
]);
const intFields = new Set(['hostPort', 'containerPort']);
const boolFields = new Set(['stdin', 'stdinOnce', 'tty', 'readOnly']);

/** The Go zero value printed for an absent field. */
function zero(key: string, other: Json): string {
  if (pointerFields.has(key) || typeof other === 'object') return 'nil';
  if (stringFields.has(key) || typeof other === 'string') return '""';
  if (intFields.has(key) || typeof other === 'number') return '0';
  if (boolFields.has(key) || typeof other === 'boolean') return 'false';
  return 'nil';
}

const goName = (k: string): string => goNames[k] ?? k.charAt(0).toUpperCase() + k.slice(1);

interface Line {
  mark: ' ' | '-' | '+';
  depth: number;
  name?: string;
  text: string;
}

/** The internal PodSpec keeps the host namespaces inside its security context. */
function internalSpec(spec: PodSpec): Obj {
  const { hostNetwork, hostPID, hostIPC, shareProcessNamespace, serviceAccount: _sa, ...rest } = spec;
  const moved = { hostNetwork, hostPID, hostIPC, shareProcessNamespace };
  const hasMoved = Object.values(moved).some((v) => v !== undefined);
  const sc = rest.securityContext || hasMoved ? { ...moved, ...(rest.securityContext ?? {}) } : undefined;
  return { ...rest, securityContext: sc } as Obj;
}

export function podSpecDiff(oldSpec: PodSpec, newSpec: PodSpec): string {
  const lines: Line[] = [{ mark: ' ', depth: 0, text: 'core.PodSpec{' }];
  diffStruct(internalSpec(oldSpec), internalSpec(newSpec), podSpecFields, 1, lines, 'podSpec');
  lines.push({ mark: ' ', depth: 0, text: '}' });
  return render(lines);
}

function fieldsOf(a: Obj, b: Obj, known: readonly string[] | undefined): string[] {
  if (known) return [...known];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function diffStruct(a: Obj, b: Obj, known: readonly string[] | undefined, depth: number, out: Line[], ctx: string): void {
  const keys = fieldsOf(a, b, known);
  const changed = keys.map((k) => !deepEqual(a[k], b[k]));
  const shown = keys.map((_, i) => changed.slice(Math.max(0, i - 2), i + 3).some(Boolean));
  let skipped = 0;
  const flush = (): void => {
    if (skipped) out.push({ mark: ' ', depth, text: `... // ${skipped} identical fields` });
    skipped = 0;
  };
  keys.forEach((k, i) => {
    if (!shown[i]) {
      skipped++;
      return;
    }
    flush();
    const name = goName(k);
    if (!changed[i]) out.push({ mark: ' ', depth, name, text: `${elide(a[k], k)},` });
    else diffValue(a[k], b[k], k, name, depth, out, ctx === 'podSpec' && k === 'securityContext' ? 'podSecurityContext' : k);
  });
  flush();
}

function diffValue(a: Json, b: Json, key: string, name: string | undefined, depth: number, out: Line[], ctx: string): void {
  const type = types[key];
  const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && type?.go.startsWith('[]core.')) {
    out.push({ mark: ' ', depth, name, text: `${type.go}{` });
    let skipped = 0;
    a.forEach((el, i) => {
      if (deepEqual(el, b[i])) {
        skipped++;
        return;
      }
      if (skipped) out.push({ mark: ' ', depth: depth + 1, text: `... // ${skipped} identical elements` });
      skipped = 0;
      out.push({ mark: ' ', depth: depth + 1, text: '{' });
      diffStruct(el as Obj, b[i] as Obj, type.fields, depth + 2, out, key);
      out.push({ mark: ' ', depth: depth + 1, text: '},' });
    });
    if (skipped) out.push({ mark: ' ', depth: depth + 1, text: `... // ${skipped} identical elements` });
    out.push({ mark: ' ', depth, text: '},' });
    return;
  }
  if (isObj(a) && isObj(b) && !type?.go.startsWith('map')) {
    const fields = ctx === 'podSecurityContext' ? podSecurityContextFields : type?.fields;
    const goType = ctx === 'podSecurityContext' ? '&core.PodSecurityContext' : (type?.go ?? '');
    out.push({ mark: ' ', depth, name, text: `${goType}{` });
    diffStruct(a, b, fields, depth + 1, out, ctx);
    out.push({ mark: ' ', depth, text: '},' });
    return;
  }
  out.push({ mark: '-', depth, name, text: `${literal(a, key, b)},` });
  out.push({ mark: '+', depth, name, text: `${literal(b, key, a)},` });
}

/** A value in Go syntax on one line; `other` tells the type of an absent zero value. */
function literal(v: Json, key: string, other?: Json): string {
  const ptr = pointerFields.has(key) ? '&' : '';
  if (v === undefined || v === null) return zero(key, other);
  if (typeof v === 'string') return ptr ? `&${JSON.stringify(v)}` : JSON.stringify(v);
  if (typeof v !== 'object') return `${ptr}${String(v)}`;
  const goType = types[key]?.go ?? '';
  if (Array.isArray(v)) return `${goType}{${v.map((e) => literal(e, '')).join(', ')}}`;
  const entries = Object.entries(v as Obj).filter(([, x]) => x !== undefined);
  if (goType.startsWith('map')) return `${goType}{${entries.map(([k, x]) => `${JSON.stringify(k)}: ${literal(x, k)}`).join(', ')}}`;
  return `${goType}{${entries.map(([k, x]) => `${goName(k)}: ${literal(x, k)}`).join(', ')}}`;
}

/** Unchanged context values: scalars in full, composites elided as cmp does. */
function elide(v: Json, key: string): string {
  if (typeof v === 'object' && v !== null) {
    const empty = Array.isArray(v) ? v.length === 0 : Object.values(v).every((x) => x === undefined);
    const ptr = key === 'securityContext' || types[key]?.go.startsWith('&') ? '&' : '';
    return empty ? `${ptr}{}` : `${ptr}{...}`;
  }
  return literal(v, key);
}

/** cmp aligns the values of consecutive one-line fields at one indentation. */
function render(lines: Line[]): string {
  const width: number[] = new Array(lines.length).fill(0);
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    const l = lines[i];
    const breaks = !l || !l.name || l.text.endsWith('{') || l.depth !== lines[start]!.depth;
    if (breaks) {
      const w = Math.max(0, ...lines.slice(start, i).map((x) => (x.name ? x.name.length + 1 : 0)));
      for (let j = start; j < i; j++) width[j] = w;
      start = l && l.name && !l.text.endsWith('{') ? i : i + 1;
    }
  }
  return lines
    .map((l, i) => {
      const prefix = `${l.mark} ${'\t'.repeat(l.depth)}`;
      if (!l.name) return prefix + l.text;
      const label = `${l.name}:`;
      const pad = l.text.endsWith('{') ? ' ' : ' '.repeat(Math.max(1, width[i]! - label.length + 1));
      return `${prefix}${label}${pad}${l.text}`;
    })
    .join('\n') + '\n';
}
