// Registry configuration in k3s's registries.yaml format: `mirrors` (endpoints and rewrites per
// registry name, "*" for every registry without its own entry) and `configs` (auth and TLS per
// endpoint host, "*" likewise). The parser is pure: it checks shapes and names the field at fault;
// files named under tls are read when a connection needs them.
//
//   mirrors:
//     docker.io:
//       endpoint: ["http://127.0.0.1:5000"]
//       rewrite: {"^library/(.*)": "mirror/$1"}
//   configs:
//     "127.0.0.1:5000":
//       auth: {username: u, password: p}        # or {auth: base64(u:p)} or {identity_token: t}
//       tls: {ca_file, cert_file, key_file, insecure_skip_verify}
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { Credentials } from './auth.ts';

export interface Rewrite {
  pattern: RegExp;
  replacement: string; // Go regexp syntax: $1 or ${1} names a group
}

export interface RegistryMirror {
  endpoints: URL[];
  rewrites: Rewrite[];
}

export interface RegistryTLS {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipVerify?: boolean;
}

export interface RegistryHostConfig {
  credentials?: Credentials;
  tls?: RegistryTLS;
}

export interface RegistriesConfig {
  mirrors: Map<string, RegistryMirror>;
  configs: Map<string, RegistryHostConfig>;
}

export const emptyRegistries: RegistriesConfig = { mirrors: new Map(), configs: new Map() };

export class RegistriesConfigError extends Error {
  constructor(file: string, field: string, why: string) {
    super(`${file}: ${field === '' ? '' : `${field}: `}${why}`);
    this.name = 'RegistriesConfigError';
  }
}

export function loadRegistries(file: string): RegistriesConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RegistriesConfigError(file, '', (error as Error).message);
  }
  return parseRegistries(text, file);
}

type Fields = Record<string, unknown>;

export function parseRegistries(text: string, file = 'registries.yaml'): RegistriesConfig {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new RegistriesConfigError(file, '', document.errors[0].message);
  const fail = (field: string, why: string): never => {
    throw new RegistriesConfigError(file, field, why);
  };
  const root = mapping(document.toJS() ?? {}, '', fail, ['mirrors', 'configs']);
  const config: RegistriesConfig = { mirrors: new Map(), configs: new Map() };
  for (const [name, value] of Object.entries(mapping(root.mirrors ?? {}, 'mirrors', fail))) {
    config.mirrors.set(name, parseMirror(value, `mirrors.${quoted(name)}`, fail));
  }
  for (const [host, value] of Object.entries(mapping(root.configs ?? {}, 'configs', fail))) {
    const path = `configs.${quoted(host)}`;
    const fields = mapping(value ?? {}, path, fail, ['auth', 'tls']);
    config.configs.set(host, {
      credentials: fields.auth === undefined ? undefined : parseAuth(fields.auth, `${path}.auth`, fail),
      tls: fields.tls === undefined ? undefined : parseTLS(fields.tls, `${path}.tls`, fail),
    });
  }
  return config;
}

function parseMirror(value: unknown, path: string, fail: (field: string, why: string) => never): RegistryMirror {
  const fields = mapping(value ?? {}, path, fail, ['endpoint', 'rewrite']);
  const list = fields.endpoint ?? [];
  if (!Array.isArray(list)) fail(`${path}.endpoint`, 'must be a list of URLs');
  const endpoints = (list as unknown[]).map((item, i) => parseEndpoint(item, `${path}.endpoint[${i}]`, fail));
  const rewrites = Object.entries(mapping(fields.rewrite ?? {}, `${path}.rewrite`, fail)).map(([pattern, replacement]): Rewrite => {
    const field = `${path}.rewrite.${quoted(pattern)}`;
    if (typeof replacement !== 'string') fail(field, 'the replacement must be a string');
    try {
      return { pattern: new RegExp(pattern), replacement: replacement as string };
    } catch (error) {
      return fail(field, `invalid regular expression: ${(error as Error).message}`);
    }
  });
  return { endpoints, rewrites };
}

function parseEndpoint(value: unknown, path: string, fail: (field: string, why: string) => never): URL {
  if (typeof value !== 'string') fail(path, 'must be a URL string');
  let url: URL;
  try {
    url = new URL(value as string);
  } catch {
    return fail(path, `not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(path, `scheme must be http or https, not ${url.protocol.slice(0, -1)}`);
  if (url.search !== '' || url.hash !== '' || url.username !== '') fail(path, 'must not carry a query, fragment or user');
  return url;
}

function parseAuth(value: unknown, path: string, fail: (field: string, why: string) => never): Credentials {
  const fields = mapping(value, path, fail, ['username', 'password', 'auth', 'identity_token']);
  for (const [key, field] of Object.entries(fields)) if (typeof field !== 'string') fail(`${path}.${key}`, 'must be a string');
  const { username, password, auth, identity_token: identityToken } = fields as Record<string, string | undefined>;
  if (auth !== undefined) {
    const decoded = Buffer.from(auth, 'base64').toString();
    const colon = decoded.indexOf(':');
    if (colon <= 0) fail(`${path}.auth`, 'must be base64 of "username:password"');
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (username !== undefined) return { username, password: password ?? '' };
  if (identityToken !== undefined) return { identityToken };
  return fail(path, 'one of username, auth or identity_token is required');
}

function parseTLS(value: unknown, path: string, fail: (field: string, why: string) => never): RegistryTLS {
  const fields = mapping(value, path, fail, ['ca_file', 'cert_file', 'key_file', 'insecure_skip_verify']);
  const file = (key: string): string | undefined => {
    if (fields[key] !== undefined && (typeof fields[key] !== 'string' || fields[key] === '')) fail(`${path}.${key}`, 'must be a file path');
    return fields[key] as string | undefined;
  };
  const tls: RegistryTLS = { caFile: file('ca_file'), certFile: file('cert_file'), keyFile: file('key_file') };
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) fail(path, 'cert_file and key_file go together');
  const skip = fields.insecure_skip_verify;
  if (skip !== undefined && typeof skip !== 'boolean') fail(`${path}.insecure_skip_verify`, 'must be true or false');
  tls.insecureSkipVerify = skip as boolean | undefined;
  return tls;
}

function mapping(value: unknown, path: string, fail: (field: string, why: string) => never, known?: string[]): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, 'must be a mapping');
  const fields = value as Fields;
  for (const key of Object.keys(fields)) {
    if (known !== undefined && !known.includes(key)) fail(path === '' ? key : `${path}.${key}`, `unknown field (expected ${known.join(', ')})`);
  }
  return fields;
}

function quoted(key: string): string {
  return /^[\w-]+$/.test(key) ? key : JSON.stringify(key);
}
