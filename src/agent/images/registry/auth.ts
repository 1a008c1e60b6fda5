// Registry auth as Docker Hub and distribution do it: a 401 carries a WWW-Authenticate challenge;
// "Basic" wants the credentials, "Bearer realm,service,scope" wants a token fetched from the realm
// (with the credentials, if any) and sent as "Bearer TOKEN". Tokens are kept per registry and scope.
// An identity token (a registry's OAuth2 refresh token) is exchanged for an access token by POST,
// as containerd does.
import { RegistryError } from './errors.ts';

export type Credentials = { username: string; password: string } | { identityToken: string };

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
  private readonly headers = new Map<string, string>();

  constructor(fetchFn: typeof fetch) {
    this.fetch = fetchFn;
  }

  // The Authorization header last obtained for this repository, if any.
  cached(registry: string, repository: string): string | undefined {
    return this.headers.get(`${registry}/${repository}`);
  }

  // Answers a 401's challenge; the header is cached for later requests to the same repository.
  async answer(registry: string, repository: string, challengeHeader: string | null, credentials: Credentials | undefined): Promise<string> {
    if (challengeHeader === null) throw new RegistryError('Unauthorized', `${registry} answered 401 without a challenge`);
    const challenge = parseChallenge(challengeHeader);
    let header: string;
    if (challenge.scheme === 'basic') {
      if (credentials === undefined || !('username' in credentials)) throw new RegistryError('Unauthorized', `${registry} wants a username and password and none are configured`);
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
    const response = credentials !== undefined && 'identityToken' in credentials
      ? await this.fetch(url.origin + url.pathname, { method: 'POST', body: refreshForm(url, credentials.identityToken) })
      : await this.fetch(url, { headers: credentials === undefined ? {} : { authorization: basic(credentials) } });
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new RegistryError('Unauthorized', `token server ${url.origin} refused ${who(credentials)} access to ${repository}: HTTP ${response.status}`);
    }
    if (!response.ok) throw new RegistryError('Unavailable', `token server ${url.origin}: HTTP ${response.status}`);
    const body = (await response.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (typeof token !== 'string' || token === '') throw new RegistryError('Unauthorized', `token server ${url.origin} returned no token`);
    return token;
  }
}

// OAuth2 refresh-token grant (distribution's token spec, "oauth.md").
function refreshForm(url: URL, refreshToken: string): URLSearchParams {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'peapod' });
  for (const key of ['service', 'scope']) {
    const value = url.searchParams.get(key);
    if (value !== null) form.set(key, value);
  }
  return form;
}

function who(credentials: Credentials | undefined): string {
  if (credentials === undefined) return 'anonymous';
  return 'username' in credentials ? credentials.username : 'identity token';
}

function basic(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
