// Worker side of runHttpLoad: one keep-alive HTTPS agent with a socket per concurrent caller,
// requests in a closed loop, latencies measured from request start to the last byte of the body.
import https from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';
import type { HttpLoad } from './load.ts';
import { closedLoop } from './loop.ts';

const load = workerData as HttpLoad;
const url = new URL(load.target.origin);
const agent = new https.Agent({
  keepAlive: true,
  maxSockets: load.concurrency,
  ca: load.target.ca,
  cert: load.target.cert,
  key: load.target.key,
});

function request(name: string): Promise<void> {
  const body = load.body?.replaceAll('__NAME__', name);
  const headers: Record<string, string> = { Accept: load.accept ?? 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = load.contentType ?? 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = https.request({ hostname: url.hostname, port: url.port, path: load.path.replaceAll('__NAME__', name), method: load.method, agent, headers }, (res) => {
      const code = res.statusCode ?? 0;
      let text = '';
      if (code >= 300) res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      else res.resume();
      res.on('end', () => (code < 300 ? resolve() : reject(new Error(`${load.method} ${load.path}: HTTP ${code}: ${text.slice(0, 300)}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const prefix = load.namePrefix ?? '';
if (load.warmupMs) {
  await closedLoop({ concurrency: load.concurrency, durationMs: load.warmupMs }, (i) => request(`${prefix}w${i}`));
}
const result = await closedLoop(load, (i) => request(`${prefix}${i}`));
agent.destroy();
parentPort!.postMessage(result);
