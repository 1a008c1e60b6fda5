// Pod volumes: unique DNS-1123 names, exactly one source each, and the details of the sources
// peapod mounts (emptyDir, hostPath, configMap, secret, downwardAPI, projected, PVC).
import type {
  DownwardAPIVolumeFile, KeyToPath, ProjectedVolumeSource, Volume, VolumeMount,
} from 'kubernetes-types/core/v1.d.ts';
import { field, type FieldError, type FieldPath } from './field.ts';
import { validateObjectFieldSelector, validateResourceFieldSelector, volumeFieldPaths } from './env.ts';
import { validateDNS1123Label } from './names.ts';
import { Quantity } from '../quantity.ts';

const fileModeErrorMsg = 'must be a number between 0 and 0777 (octal), both inclusive';
const hostPathTypes = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** Volume sources in the order Kubernetes checks them (the first one set wins, the rest are Forbidden). */
const sourceKeys = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile',
  'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume',
  'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
] as const;
type SourceKey = (typeof sourceKeys)[number];

/** Validates the pod's volumes; returns the names of the valid ones for the mounts to refer to. */
export function validateVolumes(volumes: readonly Volume[] | undefined, path: FieldPath): { names: Set<string>; errs: FieldError[] } {
  const names = new Set<string>();
  const errs: FieldError[] = [];
  (volumes ?? []).forEach((vol, i) => {
    const p = path.index(i);
    const el = validateVolumeSource(vol, p);
    if (!vol.name) el.push(field.required(p.child('name')));
    else el.push(...validateDNS1123Label(vol.name, p.child('name')));
    if (names.has(vol.name)) el.push(field.duplicate(p.child('name'), vol.name));
    if (el.length === 0) names.add(vol.name);
    else errs.push(...el);
  });
  return { names, errs };
}

function validateVolumeSource(vol: Volume, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  const set = vol as unknown as Partial<Record<SourceKey, unknown>>;
  for (const key of sourceKeys) {
    if (set[key] === undefined || set[key] === null) continue;
    if (count++ > 0) {
      errs.push(field.forbidden(path.child(key), 'may not specify more than 1 volume type'));
      continue;
    }
    errs.push(...validateSource(vol, key, path.child(key)));
  }
  if (count === 0) errs.push(field.required(path, 'must specify a volume type'));
  return errs;
}

function validateSource(vol: Volume, key: SourceKey, path: FieldPath): FieldError[] {
  switch (key) {
    case 'emptyDir': {
      const limit = vol.emptyDir?.sizeLimit;
      const q = limit === undefined ? undefined : Quantity.tryParse(limit);
      if (limit !== undefined && (!q || q.sign() < 0)) {
        return [field.forbidden(path.child('sizeLimit'), 'SizeLimit field must be a valid resource quantity')];
      }
      return [];
    }
    case 'hostPath': {
      const hp = vol.hostPath!;
      if (!hp.path) return [field.required(path.child('path'))];
      const errs = validateNoBacksteps(hp.path, path.child('path'));
      if (!hostPathTypes.includes(hp.type ?? '')) errs.push(field.notSupported(path.child('type'), hp.type, hostPathTypes));
      return errs;
    }
    case 'secret': {
      const s = vol.secret!;
      const errs = s.secretName ? [] : [field.required(path.child('secretName'))];
      return [...errs, ...validateMode(s.defaultMode, path.child('defaultMode')), ...validateItems(s.items, path.child('items'))];
    }
    case 'configMap': {
      const c = vol.configMap!;
      const errs = c.name ? [] : [field.required(path.child('name'))];
      return [...errs, ...validateMode(c.defaultMode, path.child('defaultMode')), ...validateItems(c.items, path.child('items'))];
    }
    case 'persistentVolumeClaim':
      return vol.persistentVolumeClaim!.claimName ? [] : [field.required(path.child('claimName'))];
    case 'downwardAPI': {
      const d = vol.downwardAPI!;
      const errs = validateMode(d.defaultMode, path.child('defaultMode'));
      // Kubernetes reports item errors on the downwardAPI path itself, without the item index.
      for (const file of d.items ?? []) errs.push(...validateDownwardAPIFile(file, path));
      return errs;
    }
    case 'projected':
      return [...validateMode(vol.projected!.defaultMode, path.child('defaultMode')), ...validateProjection(vol.projected!, path)];
    default:
      return [];
  }
}

function validateMode(mode: number | undefined, path: FieldPath): FieldError[] {
  return mode !== undefined && (mode > 0o777 || mode < 0) ? [field.invalid(path, mode, fileModeErrorMsg)] : [];
}

function validateItems(items: readonly KeyToPath[] | undefined, path: FieldPath): FieldError[] {
  return (items ?? []).flatMap((kp, i) => validateKeyToPath(kp, path.index(i)));
}

function validateKeyToPath(kp: KeyToPath, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!kp.key) errs.push(field.required(path.child('key')));
  if (!kp.path) errs.push(field.required(path.child('path')));
  errs.push(...validateLocalNonReservedPath(kp.path ?? '', path.child('path')));
  errs.push(...validateMode(kp.mode, path.child('mode')));
  return errs;
}

function validateDownwardAPIFile(file: DownwardAPIVolumeFile, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!file.path) errs.push(field.required(path.child('path')));
  errs.push(...validateLocalNonReservedPath(file.path ?? '', path.child('path')));
  if (file.fieldRef) {
    errs.push(...validateObjectFieldSelector(file.fieldRef, volumeFieldPaths, path.child('fieldRef')));
    if (file.resourceFieldRef) {
      errs.push(field.invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    }
  } else if (file.resourceFieldRef) {
    errs.push(...validateResourceFieldSelector(file.resourceFieldRef, path.child('resourceFieldRef'), true));
  } else {
    errs.push(field.required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  errs.push(...validateMode(file.mode, path.child('mode')));
  return errs;
}

function validateProjection(projection: ProjectedVolumeSource, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  const claim = (p: string, value: string): void => {
    if (!p) return;
    if (paths.has(p)) errs.push(field.invalid(path, value, 'conflicting duplicate paths'));
    paths.add(p);
  };
  (projection.sources ?? []).forEach((source, i) => {
    const src = path.child('sources').index(i);
    let count = 0;
    for (const [key, ref] of [['secret', source.secret], ['configMap', source.configMap]] as const) {
      if (!ref) continue;
      count++;
      if (!ref.name) errs.push(field.required(src.child(key, 'name')));
      (ref.items ?? []).forEach((kp, j) => {
        errs.push(...validateKeyToPath(kp, src.child(key, 'items').index(j)));
        claim(kp.path, ref.name ?? '');
      });
    }
    if (source.downwardAPI) {
      count++;
      for (const file of source.downwardAPI.items ?? []) {
        errs.push(...validateDownwardAPIFile(file, src.child('downwardAPI')));
        claim(file.path, file.path);
      }
    }
    const token = source.serviceAccountToken;
    if (token) {
      count++;
      const seconds = token.expirationSeconds ?? 3600;
      const p = src.child('serviceAccountToken', 'expirationSeconds');
      if (seconds < 600) errs.push(field.invalid(p, seconds, 'may not specify a duration less than 10 minutes'));
      if (seconds > 2 ** 32) errs.push(field.invalid(p, seconds, 'may not specify a duration larger than 2^32 seconds'));
      if (!token.path) errs.push(field.required(path.child('path')));
    }
    if (source.clusterTrustBundle) count++;
    if (count > 1) errs.push(field.forbidden(src, 'may not specify more than 1 volume type per source'));
  });
  return errs;
}

function validateNoBacksteps(target: string, path: FieldPath): FieldError[] {
  return target.split('/').includes('..') ? [field.invalid(path, target, "must not contain '..'")] : [];
}

function validateLocalDescendingPath(target: string, path: FieldPath): FieldError[] {
  const errs = target.startsWith('/') ? [field.invalid(path, target, 'must be a relative path')] : [];
  return [...errs, ...validateNoBacksteps(target, path)];
}

function validateLocalNonReservedPath(target: string, path: FieldPath): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(field.invalid(path, target, "must not start with '..'"));
  return errs;
}

/** A container's volumeMounts: known volumes, unique mount paths, relative subPaths. */
export function validateVolumeMounts(mounts: readonly VolumeMount[] | undefined, volumes: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  (mounts ?? []).forEach((m, i) => {
    const p = path.index(i);
    if (!m.name) errs.push(field.required(p.child('name')));
    if (!volumes.has(m.name)) errs.push(field.notFound(p.child('name'), m.name ?? ''));
    if (!m.mountPath) errs.push(field.required(p.child('mountPath')));
    if (mountPoints.has(m.mountPath)) errs.push(field.invalid(p.child('mountPath'), m.mountPath, 'must be unique'));
    mountPoints.add(m.mountPath);
    // Kubernetes reports subPath errors on the volumeMounts path, without the index.
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, path.child('subPath')));
    if (m.subPathExpr) {
      if (m.subPath) errs.push(field.invalid(p.child('subPathExpr'), m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(m.subPathExpr, path.child('subPathExpr')));
    }
    const propagation = m.mountPropagation;
    if (propagation !== undefined && !['Bidirectional', 'HostToContainer', 'None'].includes(propagation)) {
      errs.push(field.notSupported(path.child('mountPropagation'), propagation, ['Bidirectional', 'HostToContainer', 'None']));
    }
  });
  return errs;
}
