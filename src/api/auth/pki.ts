// The cluster PKI under DIR/pki, made on first start and reused after:
//
//   ca.crt/ca.key                 cluster CA (EC P-256, 10 years)
//     ├─ apiserver.crt/.key       serving certificate, SANs = localhost, loopback IPs, hostname,
//     │                           kubernetes.default.svc…, and the hosts asked for
//     ├─ admin.crt/.key           client certificate CN=admin, O=system:masters (the kubeconfig user)
//     └─ apiserver-kubelet-client.crt/.key
//                                 client certificate CN=kube-apiserver-kubelet-client, O=system:masters:
//                                 what the server presents to node agents (logs, exec, …)
//
// A leaf is reissued (same key when it is still good) when it is missing, unreadable, not signed
// by the CA, not matching its key, near expiry, or — the serving one — lacking a requested host.
// The CA itself is never replaced silently: every certificate and kubeconfig handed out trusts it.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { ServerOptions } from 'node:https';
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { readOptional, writeSecretFile } from './files.ts';
import { generateKey, issueCertificate, type Subject } from './openssl.ts';

export interface KeyPair {
  /** PEM */
  cert: string;
  /** PEM */
  key: string;
}

export interface Pki {
  dir: string;
  ca: KeyPair;
  serving: KeyPair;
  admin: KeyPair;
  kubeletClient: KeyPair;
}

export interface PkiOptions {
  /** Extra names or addresses clients use to reach the server (e.g. the bind address). */
  hosts: string[];
  now?: () => Date;
}

const caDays = 3650;
const leafDays = 365;
const renewBeforeMs = 30 * 24 * 3600 * 1000;

interface LeafProfile {
  file: string;
  subject: Subject;
  extensions: string[];
  /** Extra acceptance test for an existing certificate. */
  accepts?: (cert: X509Certificate) => boolean;
}

export async function ensurePki(dataDir: string, options: PkiOptions): Promise<Pki> {
  const dir = join(dataDir, 'pki');
  const now = (options.now ?? (() => new Date()))();
  const ca = await ensureCa(dir);
  const names = servingNames(options.hosts);
  const leafUsage = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature'];
  const serving = await ensureLeaf(dir, ca, now, {
    file: 'apiserver',
    subject: { commonName: 'kube-apiserver' },
    extensions: [...leafUsage, 'extendedKeyUsage=serverAuth', `subjectAltName=${sanList(names)}`],
    accepts: (cert) => names.dns.every((d) => cert.checkHost(d, { subject: 'never' }) !== undefined) &&
      names.ips.every((ip) => cert.checkIP(ip) !== undefined),
  });
  const admin = await ensureLeaf(dir, ca, now, {
    file: 'admin',
    subject: { commonName: 'admin', organizations: ['system:masters'] },
    extensions: [...leafUsage, 'extendedKeyUsage=clientAuth'],
  });
  const kubeletClient = await ensureLeaf(dir, ca, now, {
    file: 'apiserver-kubelet-client',
    subject: { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] },
    extensions: [...leafUsage, 'extendedKeyUsage=clientAuth'],
  });
  return { dir, ca, serving, admin, kubeletClient };
}

/** https.createServer options: serve with the serving pair, ask for (but do not require) a client certificate. */
export function tlsServerOptions(pki: Pki): ServerOptions {
  return {
    key: pki.serving.key,
    cert: pki.serving.cert,
    ca: pki.ca.cert,
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
  };
}

async function ensureCa(dir: string): Promise<KeyPair> {
  const certPath = join(dir, 'ca.crt');
  const keyPath = join(dir, 'ca.key');
  const [cert, key] = await Promise.all([readOptional(certPath), readOptional(keyPath)]);
  if (cert !== undefined && key !== undefined) {
    if (!matches(cert, key)) throw new Error(`pki: ${certPath} does not match ${keyPath}`);
    return { cert, key };
  }
  if (cert !== undefined || key !== undefined) {
    throw new Error(`pki: found only one of ${certPath} and ${keyPath}; restore the other, or remove both to create a new cluster CA (every issued certificate then stops working)`);
  }
  const newKey = await generateKey();
  await writeSecretFile(keyPath, newKey);
  const newCert = await issueCertificate({
    subject: { commonName: 'peapod-ca' },
    keyPath,
    days: caDays,
    extensions: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,digitalSignature,keyCertSign,cRLSign'],
  });
  await writeSecretFile(certPath, newCert);
  return { cert: newCert, key: newKey };
}

async function ensureLeaf(dir: string, ca: KeyPair, now: Date, profile: LeafProfile): Promise<KeyPair> {
  const certPath = join(dir, `${profile.file}.crt`);
  const keyPath = join(dir, `${profile.file}.key`);
  let [cert, key] = await Promise.all([readOptional(certPath), readOptional(keyPath)]);
  if (cert !== undefined && key !== undefined && leafStillGood(cert, key, ca, now, profile)) return { cert, key };
  if (key === undefined || !parsesAsKey(key)) {
    key = await generateKey();
    await writeSecretFile(keyPath, key);
  }
  cert = await issueCertificate({
    subject: profile.subject,
    keyPath,
    issuer: { certPath: join(dir, 'ca.crt'), keyPath: join(dir, 'ca.key') },
    days: leafDays,
    extensions: profile.extensions,
  });
  await writeSecretFile(certPath, cert);
  return { cert, key };
}

function leafStillGood(certPem: string, keyPem: string, ca: KeyPair, now: Date, profile: LeafProfile): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const caCert = new X509Certificate(ca.cert);
    return cert.checkIssued(caCert) && cert.verify(caCert.publicKey) &&
      cert.checkPrivateKey(createPrivateKey(keyPem)) &&
      new Date(cert.validTo).getTime() - now.getTime() > renewBeforeMs &&
      (profile.accepts?.(cert) ?? true);
  } catch {
    return false; // unreadable files are replaced, not trusted
  }
}

function matches(certPem: string, keyPem: string): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

function parsesAsKey(pem: string): boolean {
  try {
    createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}

export interface ServingNames {
  dns: string[];
  ips: string[];
}

/** The names the serving certificate must cover. An unspecified bind address stands for every interface address. */
export function servingNames(hosts: string[]): ServingNames {
  const dns = new Set(['localhost', hostname().toLowerCase(),
    'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']);
  const ips = new Set(['127.0.0.1', '::1']);
  for (const host of hosts.map((h) => h.trim().replace(/^\[(.*)\]$/, '$1')).filter(Boolean)) {
    if (host === '0.0.0.0' || host === '::') interfaceAddresses().forEach((ip) => ips.add(ip));
    else if (isIP(host)) ips.add(host);
    else dns.add(host.toLowerCase());
  }
  return { dns: [...dns], ips: [...ips] };
}

function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((addrs) => addrs ?? [])
    .filter((a) => !a.internal && !(a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80:')))
    .map((a) => a.address);
}

function sanList(names: ServingNames): string {
  return [...names.dns.map((d) => `DNS:${d}`), ...names.ips.map((ip) => `IP:${ip}`)].join(',');
}
