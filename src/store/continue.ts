// The list continue token: the snapshot revision and the last key returned, so that every page of
// one list reads the same revision and resumes strictly after the previous page. Opaque to
// callers (base64url JSON), like kube-apiserver's, which also carries (resourceVersion, start key).

export interface ContinuePosition {
  revision: number;
  /** The last key of the previous page; the next page starts after it. */
  lastKey: string;
}

export function encodeContinue(position: ContinuePosition): string {
  return Buffer.from(JSON.stringify({ rv: position.revision, key: position.lastKey })).toString('base64url');
}

export function decodeContinue(token: string): ContinuePosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (err) {
    throw new Error(`invalid continue token ${JSON.stringify(token)}`, { cause: err });
  }
  const { rv, key } = (parsed ?? {}) as { rv?: unknown; key?: unknown };
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv <= 0 || typeof key !== 'string') {
    throw new Error(`invalid continue token ${JSON.stringify(token)}`);
  }
  return { revision: rv, lastKey: key };
}
