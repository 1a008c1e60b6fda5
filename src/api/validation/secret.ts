// Secrets: keys like ConfigMap keys, at most 1 MiB of data, the keys each well-known type
// requires, an immutable type, and `immutable` as for ConfigMaps.
import type { Secret } from 'kubernetes-types/core/v1.d.ts';
import { field, FieldPath, type FieldError } from './field.ts';
import { base64Size, maxDataSize, validateImmutableData } from './configmap.ts';
import { invalidEach, isConfigMapKey, nameIsDNSSubdomain } from './names.ts';
import { validateImmutable, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.ts';

const dataPath = FieldPath.root('data');

function validateDockerConfig(data: Record<string, string>, key: string): FieldError[] {
  if (!(key in data)) return [field.required(dataPath.key(key))];
  try {
    JSON.parse(Buffer.from(data[key]!, 'base64').toString('utf8'));
    return [];
  } catch (err) {
    return [field.invalid(dataPath.key(key), '<secret contents redacted>', (err as Error).message)];
  }
}

function validateType(secret: Secret, data: Record<string, string>): FieldError[] {
  switch (secret.type ?? '') {
    case 'kubernetes.io/service-account-token':
      return secret.metadata?.annotations?.['kubernetes.io/service-account.name']
        ? []
        : [field.required(FieldPath.root('metadata').child('annotations').key('kubernetes.io/service-account.name'))];
    case 'kubernetes.io/dockercfg':
      return validateDockerConfig(data, '.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return validateDockerConfig(data, '.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      return 'username' in data || 'password' in data
        ? []
        : [field.required(dataPath.key('username')), field.required(dataPath.key('password'))];
    case 'kubernetes.io/ssh-auth':
      return data['ssh-privatekey'] ? [] : [field.required(dataPath.key('ssh-privatekey'))];
    case 'kubernetes.io/tls':
      return ['tls.crt', 'tls.key'].filter((k) => !(k in data)).map((k) => field.required(dataPath.key(k)));
    default:
      return [];
  }
}

export function validateSecret(secret: Secret): FieldError[] {
  const errs = validateObjectMeta(secret.metadata, true, nameIsDNSSubdomain);
  const data = secret.data ?? {};
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    errs.push(...invalidEach(dataPath.key(key), key, isConfigMapKey(key)));
    size += base64Size(value);
  }
  if (size > maxDataSize) errs.push(field.tooLong(dataPath, maxDataSize));
  errs.push(...validateType(secret, data));
  return errs;
}

export function validateSecretUpdate(secret: Secret, old: Secret): FieldError[] {
  return [
    ...validateObjectMetaUpdate(secret.metadata, old.metadata),
    ...validateImmutable(secret.type ?? '', old.type ?? '', FieldPath.root('type')),
    ...validateImmutableData(secret as Record<string, unknown>, old as Record<string, unknown>, ['data']),
    ...validateSecret(secret),
  ];
}
