// The join token agents present: K10<hex sha256 of the cluster CA>::<bootstrap token>, the k3s
// format. The hash lets an agent that knows only a URL and the token trust the right CA.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeSecretFile } from '../auth/files.ts';

export interface JoinToken {
  caHash: string;
  bootstrapToken: string;
}

export function parseJoinToken(token: string): JoinToken {
  const match = /^K10([0-9a-f]{64})::(.+)$/.exec(token);
  if (match === null) throw new Error('--token: expected K10<sha256 of the cluster CA>::<token>, as the server writes it to DATA_DIR/agent-token');
  return { caHash: match[1]!, bootstrapToken: match[2]! };
}

export function caHash(caPem: string): string {
  return createHash('sha256').update(caPem).digest('hex');
}

/** Writes DATA/agent-token for `peapod agent --token`; returns its path. */
export async function writeJoinToken(dataDir: string, caPem: string, bootstrapToken: string): Promise<string> {
  const path = join(dataDir, 'agent-token');
  await writeSecretFile(path, `K10${caHash(caPem)}::${bootstrapToken}\n`);
  return path;
}
