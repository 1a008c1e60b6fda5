// /livez, /readyz and /healthz in kube-apiserver's text form: "ok", or with ?verbose one line
// per check and a verdict. /livez only says the process answers; /readyz and /healthz also
// wait for startup (store open, bootstrap objects written) so load balancers hold traffic.
import type { SimpleRequest, SimpleResponse } from '../http/response.ts';
import { textResponse } from './responses.ts';

const endpoints: Record<string, 'livez' | 'readyz' | 'healthz'> = { '/livez': 'livez', '/readyz': 'readyz', '/healthz': 'healthz' };

export function serveHealth(req: SimpleRequest, ready: boolean): SimpleResponse | undefined {
  const name = endpoints[req.path];
  if (!name) return undefined;
  const checks: [string, boolean][] = [['ping', true]];
  if (name !== 'livez') checks.push(['startup', ready]);
  const healthy = checks.every(([, ok]) => ok);
  if (healthy && !req.query.has('verbose')) return textResponse(200, 'ok');
  const lines = checks.map(([check, ok]) => (ok ? `[+]${check} ok` : `[-]${check} failed: reason withheld`));
  lines.push(`${name} check ${healthy ? 'passed' : 'failed'}`);
  return textResponse(healthy ? 200 : 500, `${lines.join('\n')}\n`);
}
