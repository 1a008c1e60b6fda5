// Secrets: type Opaque, and stringData folded into data (base64) as the v1 conversion does;
// stringData wins over data for the same key and is never stored.
import type { Secret } from 'kubernetes-types/core/v1.d.ts';

export function defaultSecret(secret: Secret): void {
  secret.type ||= 'Opaque';
  if (secret.stringData) {
    const data: Record<string, string> = { ...secret.data };
    for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
    secret.data = data;
    delete secret.stringData;
  }
}
