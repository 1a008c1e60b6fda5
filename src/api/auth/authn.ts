// Who is calling: a client certificate signed by the cluster CA (CN = user, O = groups), else a
// bearer token from the token file. Tried in that order, like kube-apiserver's union
// authenticator: a bad certificate does not stop a good token. Every user found is also in
// system:authenticated. No user → the caller answers 401 Unauthorized.
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { Pki } from './pki.ts';
import { lookupToken, type TokenFile } from './tokens.ts';

export interface UserInfo {
  name: string;
  groups: string[];
}

export interface Authenticator {
  pki: Pki;
  tokens: TokenFile;
}

// A connection's certificate cannot change, so its verdict is computed once per socket.
const certificateUsers = new WeakMap<TLSSocket, UserInfo | null>();
const caFingerprints = new WeakMap<Pki, string>();

export function authenticate(authn: Authenticator, socket: TLSSocket, authorization: string | undefined): UserInfo | undefined {
  return certificateUser(authn.pki, socket) ?? tokenUser(authn.tokens, authorization);
}

function certificateUser(pki: Pki, socket: TLSSocket): UserInfo | undefined {
  let user = certificateUsers.get(socket);
  if (user === undefined) {
    user = verifiedSubject(pki, socket);
    certificateUsers.set(socket, user);
  }
  return user ?? undefined;
}

function verifiedSubject(pki: Pki, socket: TLSSocket): UserInfo | null {
  // socket.authorized: the chain verified against the `ca` of tlsServerOptions; the issuer
  // check keeps that true only for our CA even if the server is given a wider trust list.
  if (!socket.authorized || typeof socket.getPeerCertificate !== 'function') return null;
  const peer = socket.getPeerCertificate(true);
  if (!peer?.subject || peer.issuerCertificate?.fingerprint256 !== caFingerprint(pki)) return null;
  const name = firstValue(peer.subject.CN);
  if (!name) return null;
  return { name, groups: [...allValues(peer.subject.O), 'system:authenticated'] };
}

function tokenUser(tokens: TokenFile, authorization: string | undefined): UserInfo | undefined {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const user = lookupToken(tokens, match[1]);
  return user && { name: user.name, groups: [...user.groups, 'system:authenticated'] };
}

function caFingerprint(pki: Pki): string {
  let fingerprint = caFingerprints.get(pki);
  if (fingerprint === undefined) {
    fingerprint = new X509Certificate(pki.ca.cert).fingerprint256;
    caFingerprints.set(pki, fingerprint);
  }
  return fingerprint;
}

// Node gives a repeated RDN attribute (several O=) as an array.
function allValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return allValues(value)[0];
}
