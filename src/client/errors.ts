// ClientError: a non-2xx answer (or a watch ERROR event) as the metav1.Status the server sent.
// Callers branch on reason and code, never on message — the message is for people.
import type { Status, StatusDetails } from 'kubernetes-types/meta/v1.d.ts';

export class ClientError extends Error {
  readonly status: Status;
  readonly code: number;
  /** Status reason ("NotFound", "Conflict", "Expired", …); "" when the server gave none. */
  readonly reason: string;
  readonly details?: StatusDetails;
  /** The request that failed, e.g. "GET /api/v1/namespaces/default/pods/x". */
  readonly request: string;

  constructor(status: Status, request: string) {
    super(status.message ?? `the server responded with the status code ${status.code ?? 0}`);
    this.name = 'ClientError';
    this.status = status;
    this.code = status.code ?? 0;
    this.reason = status.reason ?? '';
    if (status.details) this.details = status.details;
    this.request = request;
  }
}

export function isNotFound(err: unknown): boolean {
  return hasReason(err, 'NotFound', 404);
}

export function isAlreadyExists(err: unknown): boolean {
  return err instanceof ClientError && err.reason === 'AlreadyExists';
}

/** A resourceVersion precondition failed (the object changed since it was read). */
export function isConflict(err: unknown): boolean {
  return err instanceof ClientError && err.reason === 'Conflict';
}

export function isInvalid(err: unknown): boolean {
  return hasReason(err, 'Invalid', 422);
}

/** The resourceVersion asked for is no longer held by the server: relist. */
export function isExpired(err: unknown): boolean {
  return err instanceof ClientError && (err.code === 410 || err.reason === 'Expired' || err.reason === 'Gone');
}

function hasReason(err: unknown, reason: string, code: number): boolean {
  return err instanceof ClientError && (err.reason === reason || (err.reason === '' && err.code === code));
}

/**
 * The Status for a response whose body is not a Status (a proxy's HTML page, plain text), with
 * the reasons and messages client-go picks for each HTTP code.
 */
export function statusFromResponse(code: number, method: string, body: string): Status {
  const parsed = parseStatus(body);
  if (parsed) return { ...parsed, code: parsed.code ?? code };
  const [reason, message] = genericReason(code, method, body.trim());
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
  if (reason) status.reason = reason;
  return status;
}

/** Reads a body as a metav1.Status if it is one. */
export function parseStatus(body: string): Status | undefined {
  try {
    const obj = JSON.parse(body) as unknown;
    if (isStatus(obj)) return obj;
  } catch {
    // not JSON: the caller falls back to a generic status
  }
  return undefined;
}

export function isStatus(obj: unknown): obj is Status {
  return typeof obj === 'object' && obj !== null && (obj as { kind?: unknown }).kind === 'Status';
}

function genericReason(code: number, method: string, serverMessage: string): [string, string] {
  switch (code) {
    case 400:
      return ['BadRequest', 'the server rejected our request for an unknown reason'];
    case 401:
      return ['Unauthorized', 'the server has asked for the client to provide credentials'];
    case 403:
      return ['Forbidden', serverMessage];
    case 404:
      return ['NotFound', 'the server could not find the requested resource'];
    case 405:
      return ['MethodNotAllowed', 'the server does not allow this method on the requested resource'];
    case 406:
      return ['NotAcceptable', serverMessage || 'the server was unable to respond with a content type that the client supports'];
    case 409:
      return [method === 'POST' ? 'AlreadyExists' : 'Conflict', 'the server reported a conflict'];
    case 415:
      return ['UnsupportedMediaType', serverMessage || 'the server was unable to respond with a content type that the client supports'];
    case 422:
      return ['Invalid', 'the server rejected our request due to an error in our request'];
    case 429:
      return ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'];
    case 503:
      return ['ServiceUnavailable', 'the server is currently unable to handle the request'];
    case 504:
      return ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'];
  }
  if (code >= 500) {
    return ['InternalError', `an error on the server (${JSON.stringify(serverMessage || 'unknown')}) has prevented the request from succeeding`];
  }
  return ['', `the server responded with the status code ${code} but did not return more information`];
}
