// The Kubernetes protobuf envelope: "k8s\0" then a runtime.Unknown holding the type and the object.
import { messages } from './fields.ts';
import { decodeMessage } from './message.ts';
import { lengthDelimited, scalar } from './scalar.ts';
import { malformed, wireFields } from './wire.ts';

export const protobufMediaType = 'application/vnd.kubernetes.protobuf';

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface ProtobufObject {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

/** Decodes a request body sent as application/vnd.kubernetes.protobuf into its JSON object. */
export function decodeProtobufObject(body: Buffer): ProtobufObject {
  if (body.length < magic.length || !body.subarray(0, magic.length).equals(magic)) {
    throw malformed('the body does not start with the Kubernetes protobuf prefix "k8s\\x00"');
  }
  const unknown = decodeUnknown(body.subarray(magic.length));
  if (unknown.contentEncoding) throw malformed(`unsupported content encoding "${unknown.contentEncoding}"`);
  const type = messageFor(unknown.apiVersion, unknown.kind);
  const fields = decodeMessage(unknown.raw, type) as Record<string, unknown>;
  const object = { apiVersion: unknown.apiVersion, kind: unknown.kind, ...fields };
  return { apiVersion: unknown.apiVersion, kind: unknown.kind, object };
}

interface Unknown {
  apiVersion: string;
  kind: string;
  raw: Buffer;
  contentEncoding: string;
}

/** runtime.Unknown: typeMeta(1){apiVersion(1), kind(2)}, raw(2), contentEncoding(3), contentType(4). */
function decodeUnknown(bytes: Buffer): Unknown {
  const unknown: Unknown = { apiVersion: '', kind: '', raw: Buffer.alloc(0), contentEncoding: '' };
  for (const field of wireFields(bytes)) {
    if (field.number === 1) readTypeMeta(lengthDelimited(field, 'runtime.Unknown.typeMeta'), unknown);
    else if (field.number === 2) unknown.raw = lengthDelimited(field, 'runtime.Unknown.raw');
    else if (field.number === 3) unknown.contentEncoding = scalar(field, 'string', 'runtime.Unknown.contentEncoding') as string;
  }
  return unknown;
}

function readTypeMeta(bytes: Buffer, into: Unknown): void {
  for (const field of wireFields(bytes)) {
    if (field.number === 1) into.apiVersion = scalar(field, 'string', 'runtime.TypeMeta.apiVersion') as string;
    else if (field.number === 2) into.kind = scalar(field, 'string', 'runtime.TypeMeta.kind') as string;
  }
}

/** Proto packages of the served API groups, keyed by group. */
const groupPackages: Readonly<Record<string, string>> = {
  '': 'core.v1',
  apps: 'apps.v1',
  'coordination.k8s.io': 'coordination.v1',
  autoscaling: 'autoscaling.v1',
};

/** The message for an apiVersion and kind; options such as DeleteOptions live in meta/v1 for every group. */
function messageFor(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  const pkg = groupPackages[group];
  if (pkg && pkg.endsWith(`.${version}`) && messages[`${pkg}.${kind}`]) return `${pkg}.${kind}`;
  if (messages[`meta.v1.${kind}`] && kind.endsWith('Options')) return `meta.v1.${kind}`;
  throw malformed(`no kind "${kind}" is registered for version "${apiVersion}"`);
}
