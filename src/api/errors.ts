// Typed API errors. Inside the server everything throws ApiError (or a StoreError that
// fromStoreError maps); only the HTTP layer turns one into a metav1.Status, with the same
// reasons, codes and messages kube-apiserver uses, because kubectl prints them verbatim.
import type { Status, StatusCause } from 'kubernetes-types/meta/v1.d.ts';
import { StoreError } from '../store/store.ts';
import type { FieldError } from './validation/field.ts';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'Expired'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'Timeout'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable';

/** A resource named the way Kubernetes messages name it: "pods", "deployments.apps". */
export interface GroupResource {
  group: string;
  resource: string;
}

export interface ErrorDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  readonly reason: StatusReason;
  readonly code: number;
  readonly details?: ErrorDetails;

  constructor(reason: StatusReason, code: number, message: string, details?: ErrorDetails, cause?: unknown) {
    super(message, { cause });
    this.name = 'ApiError';
    this.reason = reason;
    this.code = code;
    this.details = details;
  }

  toStatus(): Status {
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return status;
  }
}

export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

function resourceDetails(gr: GroupResource, name: string): ErrorDetails {
  const details: ErrorDetails = { name, kind: gr.resource };
  if (gr.group) details.group = gr.group;
  return details;
}

export const errors = {
  notFound: (gr: GroupResource, name: string) =>
    new ApiError('NotFound', 404, `${qualifiedResource(gr)} "${name}" not found`, resourceDetails(gr, name)),
  alreadyExists: (gr: GroupResource, name: string) =>
    new ApiError('AlreadyExists', 409, `${qualifiedResource(gr)} "${name}" already exists`, resourceDetails(gr, name)),
  conflict: (gr: GroupResource, name: string, detail = 'the object has been modified; please apply your changes to the latest version and try again') =>
    new ApiError('Conflict', 409, `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${detail}`, resourceDetails(gr, name)),
  /** 422 with one cause per field error; `kind` is the Kind ("Pod"), as kubectl prints it. */
  invalid: (group: string, kind: string, name: string, errs: readonly FieldError[]) => {
    const qualifiedKind = group ? `${kind}.${group}` : kind;
    const list = errs.map((e) => e.toString());
    const aggregate = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
    const details: ErrorDetails = {
      name,
      kind,
      causes: errs.map((e) => ({ reason: e.type, message: e.body(), field: e.field })),
    };
    if (group) details.group = group;
    return new ApiError('Invalid', 422, `${qualifiedKind} "${name}" is invalid: ${aggregate}`, details);
  },
  /** A path that names no resource at all. */
  notFoundPath: () => new ApiError('NotFound', 404, 'the server could not find the requested resource', {}),
  badRequest: (message: string) => new ApiError('BadRequest', 400, message),
  unauthorized: (message = 'Unauthorized') => new ApiError('Unauthorized', 401, message),
  forbidden: (message: string) => new ApiError('Forbidden', 403, message),
  methodNotAllowed: (message = 'the server does not allow this method on the requested resource') =>
    new ApiError('MethodNotAllowed', 405, message),
  notAcceptable: (message = 'the server was unable to respond with a content type that the client supports') =>
    new ApiError('NotAcceptable', 406, message),
  unsupportedMediaType: (contentType: string) =>
    new ApiError('UnsupportedMediaType', 415, `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/apply-patch+yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${JSON.stringify(contentType)})`),
  expired: (message: string) => new ApiError('Expired', 410, message),
  gone: (message: string) => new ApiError('Gone', 410, message),
  tooLarge: (message = 'Request entity too large') => new ApiError('RequestEntityTooLarge', 413, message),
  timeout: (message: string) => new ApiError('Timeout', 504, message),
  serviceUnavailable: (message: string) => new ApiError('ServiceUnavailable', 503, message),
  internal: (err: unknown) =>
    new ApiError(
      'InternalError',
      500,
      `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`,
      { causes: [{ message: err instanceof Error ? err.message : String(err) }] },
      err,
    ),
};

/** Maps a store failure on a resource to the error kube-apiserver returns for it. */
export function fromStoreError(err: unknown, gr: GroupResource, name: string): ApiError {
  if (err instanceof ApiError) return err;
  if (!(err instanceof StoreError)) return errors.internal(err);
  switch (err.code) {
    case 'AlreadyExists':
      return errors.alreadyExists(gr, name);
    case 'NotFound':
      return errors.notFound(gr, name);
    case 'Conflict':
      return errors.conflict(gr, name);
    case 'Compacted':
      return errors.expired(`too old resource version: ${err.message}`);
    case 'Unavailable':
      return errors.serviceUnavailable(err.message);
  }
}

export function toApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : errors.internal(err);
}
