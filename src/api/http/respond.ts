// Writing responses: JSON objects, Status errors with the matching HTTP code, Warning headers.
import type { ServerResponse } from 'node:http';
import { errors, toApiError } from '../errors.ts';
import { SyntaxErrorBody } from './body.ts';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const apiError = err instanceof SyntaxErrorBody ? errors.badRequest(`json parse error: ${err.message}`) : toApiError(err);
  if (apiError.code >= 500) console.error('api: internal error:', apiError.cause ?? apiError);
  sendJson(res, apiError.code, apiError.toStatus());
}

/** RFC 7234 warning as kube-apiserver sends it; kubectl prints `Warning: <text>`. */
export function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}
