// Registry auth as Docker Hub and distribution do it: a 401 carries a WWW-Authenticate challenge;
// "Basic" wants the credentials, "Bearer realm,service,scope" wants a token fetched from the realm
// (with the credentials, if any) and sent as "Bearer TOKEN". Tokens are kept per registry and scope.
import { RegistryError } from './errors.ts';

export interface Credentials {
  username: string;
  password: string;
}

export type CredentialLookup = (registry: string) => Credentials | undefined;

export interface Challenge {
  scheme: string; // lowercased: "basic" or "bearer"
  params: Record<string, string>;
}

export function parseChallenge(header: string): Challenge {
  const match = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (match === null) throw new RegistryError('Unsupported', `malformed WWW-Authenticate ${JSON.stringify(header)}`);
  const params: Record<string, string> = {};
  for (const param of match[2].matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[param[1].toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : param[3];
  }
  return { scheme: match[1].toLowerCase(), params };
}

export class Authorizer {
  private readonly fetch: typeof fetch;
  private readonly credentials: CredentialLookup;
  private readonly headers = new Map<string, string>();

  constructor(fetchFn: typeof fetch, credentials: CredentialLookup) {
    this.fetch = fetchFn;
    this.credentials = credentials;
  }

  // The Authorization header last obtained for this repository, if any.
  cached(registry: string, repository: string): string | undefined {
    return this.headers.get(`${registry}/${repository}`);
  }

  // Answers a 401's challenge; the header is cached for later requests to the same repository.
  async answer(registry: string, repository: string, challengeHeader: string | null): Promise<string> {
    if (challengeHeader === null) throw new RegistryError('Unauthorized', `${registry} answered 401 without a challenge`);
    const challenge = parseChallenge(challengeHeader);
    const credentials = this.credentials(registry);
    let header: string;
    if (challenge.scheme === 'basic') {
      if (credentials === undefined) throw new RegistryError('Unauthorized', `${registry} wants credentials and none are configured`);
      header = basic(credentials);
    } else if (challenge.scheme === 'bearer') {
      header = `Bearer ${await this.token(registry, repository, challenge, credentials)}`;
    } else {
      throw new RegistryError('Unsupported', `${registry} asks for unsupported auth scheme ${challenge.scheme}`);
    }
    this.headers.set(`${registry}/${repository}`, header);
    return header;
  }

  private async token(registry: string, repository: string, challenge: Challenge, credentials: Credentials | undefined): Promise<string> {
    const realm = challenge.params.realm;
    if (realm === undefined) throw new RegistryError('Unsupported', `${registry}'s bearer challenge has no realm`);
    const url = new URL(realm);
    if (challenge.params.service !== undefined) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', challenge.params.scope ?? `repository:${repository}:pull`);
    const response = await this.fetch(url, { headers: credentials === undefined ? {} : { authorization: basic(credentials) } });
    if (response.status === 401 || response.status === 403) {
      throw new RegistryError('Unauthorized', `token server ${url.origin} refused ${credentials === undefined ? 'anonymous' : credentials.username} access to ${repository}: HTTP ${response.status}`);
    }
    if (!response.ok) throw new RegistryError('Unavailable', `token server ${url.origin}: HTTP ${response.status}`);
    const body = (await response.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (typeof token !== 'string' || token === '') throw new RegistryError('Unauthorized', `token server ${url.origin} returned no token`);
    return token;
  }
}

function basic(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
