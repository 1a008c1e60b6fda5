// The agent's serving certificate when none is given: self-signed, made with openssl, kept in
// DIR/agent.crt + agent.key and reused while it covers the node's names and is not near expiry
// (the kubelet does the same without --tls-cert-file). kube-apiserver does not verify it.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { readOptional, writeSecretFile } from '../../api/auth/files.ts';
import { generateKey, issueCertificate } from '../../api/auth/openssl.ts';

export interface ServingPair {
  cert: string;
  key: string;
}

const days = 365;
const renewBeforeMs = 30 * 24 * 3600 * 1000;

/** `hosts`: the node's address(es); the machine's hostname is always added. */
export async function ensureServingCertificate(dir: string, hosts: string[], now = new Date()): Promise<ServingPair> {
  const names = [...new Set([...hosts.filter(Boolean), hostname().toLowerCase()])];
  const certPath = join(dir, 'agent.crt');
  const keyPath = join(dir, 'agent.key');
  const [cert, key] = await Promise.all([readOptional(certPath), readOptional(keyPath)]);
  if (cert !== undefined && key !== undefined && stillGood(cert, names, now)) return { cert, key };
  const newKey = await generateKey();
  await writeSecretFile(keyPath, newKey);
  const san = names.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  const newCert = await issueCertificate({
    subject: { commonName: hostname() },
    keyPath,
    days,
    extensions: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth', `subjectAltName=${san}`],
  });
  await writeSecretFile(certPath, newCert);
  return { cert: newCert, key: newKey };
}

function stillGood(pem: string, names: string[], now: Date): boolean {
  try {
    const cert = new X509Certificate(pem);
    return new Date(cert.validTo).getTime() - now.getTime() > renewBeforeMs &&
      names.every((n) => (isIP(n) ? cert.checkIP(n) : cert.checkHost(n, { subject: 'never' })) !== undefined);
  } catch {
    return false;
  }
}
