// Whole-body responses for discovery, version and health, with the headers kube-apiserver sends.
import { errors } from '../errors.ts';
import type { SimpleResponse } from '../http/response.ts';

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): SimpleResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', ...headers },
    body: JSON.stringify(body),
  };
}

export function textResponse(status: number, body: string): SimpleResponse {
  return {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache, private' },
    body,
  };
}

/** The generic 404 for a path that names nothing: "the server could not find the requested resource". */
export function notFound(): SimpleResponse {
  const err = errors.notFoundPath();
  return jsonResponse(err.code, err.toStatus());
}

/** A header's value, repeated headers joined as HTTP allows. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
