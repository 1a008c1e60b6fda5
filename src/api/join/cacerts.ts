// GET /cacerts: the cluster CA for agents that join with a K10 token (they check its hash against
// the token before trusting it), served without authentication as k3s serves it.
import type { SimpleRequest, SimpleResponse } from '../http/response.ts';

export function serveCaCerts(caPem: string): (req: SimpleRequest) => SimpleResponse | undefined {
  return (req) => req.path === '/cacerts' ? { status: 200, headers: { 'Content-Type': 'text/plain' }, body: Buffer.from(caPem) } : undefined;
}
