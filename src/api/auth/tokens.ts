// Static bearer tokens, in kube-apiserver's --token-auth-file format (DIR/pki/tokens):
//
//   token,user,uid,"group1,group2"
//
// First start writes one line: the node-bootstrap token that agents join with
// (`peapod agent --token T`), as user kubelet-bootstrap in group system:bootstrappers.
// Tokens are compared by SHA-256 digest with a constant-time compare over every entry, so
// response timing says nothing about how much of a guess was right.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { readOptional, writeSecretFile } from './files.ts';

export interface TokenUser {
  name: string;
  uid: string;
  groups: string[];
}

export interface TokenEntry {
  digest: Buffer;
  user: TokenUser;
}

export interface TokenFile {
  path: string;
  entries: readonly TokenEntry[];
  /** The node-bootstrap token, when the file still has a kubelet-bootstrap line. */
  bootstrapToken?: string;
}

export const bootstrapUser: TokenUser = { name: 'kubelet-bootstrap', uid: '10001', groups: ['system:bootstrappers'] };

export async function ensureTokens(dataDir: string): Promise<TokenFile> {
  const path = join(dataDir, 'pki', 'tokens');
  let text = await readOptional(path);
  if (text === undefined) {
    text = `${generateToken()},${bootstrapUser.name},${bootstrapUser.uid},"${bootstrapUser.groups.join(',')}"\n`;
    await writeSecretFile(path, text);
  }
  return parseTokenFile(text, path);
}

export function parseTokenFile(text: string, path: string): TokenFile {
  const entries: TokenEntry[] = [];
  let bootstrapToken: string | undefined;
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const fields = splitCsvLine(line, `${path}:${index + 1}`);
    if (fields.length < 3) {
      throw new Error(`token file '${path}' must have at least 3 columns (token, user name, user uid), found ${fields.length} on line ${index + 1}`);
    }
    const [token, name, uid, groups] = fields;
    if (token === '') throw new Error(`token file '${path}': empty token on line ${index + 1}`);
    const user: TokenUser = { name, uid, groups: groups ? groups.split(',').map((g) => g.trim()).filter(Boolean) : [] };
    entries.push({ digest: digest(token), user });
    if (name === bootstrapUser.name) bootstrapToken = token;
  });
  return { path, entries, bootstrapToken };
}

/** The user a presented token belongs to; with duplicates the last line wins, as in kube-apiserver. */
export function lookupToken(tokens: TokenFile, presented: string): TokenUser | undefined {
  const wanted = digest(presented);
  let found: TokenUser | undefined;
  for (const entry of tokens.entries) {
    if (timingSafeEqual(entry.digest, wanted)) found = entry.user;
  }
  return found;
}

/** A token shaped like a Kubernetes bootstrap token: [a-z0-9]{6}.[a-z0-9]{16}. */
export function generateToken(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const pick = (n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `${pick(6)}.${pick(16)}`;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** One CSV record: commas separate fields, double quotes enclose fields that hold commas, "" is a quote. */
function splitCsvLine(line: string, where: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (quoted) throw new Error(`token file ${where}: unterminated quoted field`);
  fields.push(field);
  return fields;
}
