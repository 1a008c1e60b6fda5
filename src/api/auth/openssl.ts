// Key and certificate issuance through the openssl CLI (spawned directly, never through a shell).
// `-config /dev/null` keeps the host's openssl.cnf defaults out of our certificates.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface Subject {
  commonName: string;
  organizations?: string[];
}

export interface CertificateRequest {
  subject: Subject;
  /** PEM file of the subject's private key. */
  keyPath: string;
  /** The issuer's certificate and key files; absent for a self-signed CA. */
  issuer?: { certPath: string; keyPath: string };
  days: number;
  /** openssl -addext values, e.g. "subjectAltName=DNS:localhost,IP:127.0.0.1". */
  extensions: string[];
}

/** A new EC P-256 private key, PKCS#8 PEM. */
export function generateKey(): Promise<string> {
  return openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);
}

/** A new certificate in PEM, signed by the issuer (or self-signed). */
export function issueCertificate(request: CertificateRequest): Promise<string> {
  const args = ['req', '-config', '/dev/null', '-x509', '-new', '-sha256',
    '-key', request.keyPath,
    '-subj', subjectName(request.subject),
    '-days', String(request.days),
    '-set_serial', randomSerial()];
  if (request.issuer) args.push('-CA', request.issuer.certPath, '-CAkey', request.issuer.keyPath);
  for (const ext of request.extensions) args.push('-addext', ext);
  return openssl(args);
}

/** 127 random bits: unique and positive, as RFC 5280 asks. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return `0x${bytes.toString('hex')}`;
}

/** openssl's one-line subject form; `/`, `+`, `=` and `\` inside values are escaped. */
export function subjectName(subject: Subject): string {
  const escape = (value: string) => value.replace(/[\\/+=]/g, (c) => `\\${c}`);
  const parts = [`/CN=${escape(subject.commonName)}`];
  for (const org of subject.organizations ?? []) parts.push(`/O=${escape(org)}`);
  return parts.join('');
}

function openssl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (err) => reject(new Error(`openssl ${args[0]}: cannot run openssl: ${err.message}`, { cause: err })));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(stdout).toString('utf8'));
      else reject(new Error(`openssl ${args[0]} exited with ${code}: ${Buffer.concat(stderr).toString('utf8').trim()}`));
    });
  });
}
