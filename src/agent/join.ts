// Fetching the cluster CA with only a URL and a join token: the CA is fetched without
// verification and then checked against the token's hash, so a man in the middle cannot hand
// the agent a CA of its own.
import { request } from 'node:https';
import { caHash } from '../api/join/token.ts';

/** GET SERVER/cacerts, accepted only if it hashes to `expectedHash`. */
export async function fetchClusterCa(server: string, expectedHash: string): Promise<string> {
  const pem = await new Promise<string>((resolveBody, reject) => {
    const req = request(new URL('/cacerts', server), { rejectUnauthorized: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; }).on('end', () => {
        if (res.statusCode === 200) resolveBody(body);
        else reject(new Error(`GET ${server}/cacerts: HTTP ${res.statusCode}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${server}/cacerts: timed out`)));
    req.on('error', reject);
    req.end();
  });
  if (caHash(pem) !== expectedHash) throw new Error(`the CA served by ${server} does not match the join token`);
  return pem;
}
