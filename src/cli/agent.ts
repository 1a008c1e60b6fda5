// peapod agent: a node agent joining a server. The join token is the server's
// K10<sha256 of its CA>::<bootstrap token>: the CA is fetched from the server and trusted only
// if it hashes to what the token says (as k3s agents join).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent } from '../agent/agent.ts';
import { fetchClusterCa } from '../agent/join.ts';
import { parseJoinToken } from '../api/join/token.ts';
import { agentFlagOptions, parseAgentFlags } from './agent_flags.ts';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      server: { type: 'string' },
      token: { type: 'string' },
      'data-dir': { type: 'string', default: '/var/lib/peapod' },
      ...agentFlagOptions,
    },
    strict: true,
  });
  if (!values.server) throw new Error('--server URL is required');
  if (!values.token) throw new Error('--token TOKEN is required (the server writes it to DATA_DIR/agent-token)');
  const token = parseJoinToken(values.token);
  const ca = await fetchClusterCa(values.server, token.caHash);
  const flags = parseAgentFlags(values);
  const agent = new Agent({
    ...flags,
    client: { server: values.server, ca, token: token.bootstrapToken, userAgent: `peapod-agent/${flags.nodeName}` },
    clusterCa: ca,
    dataDir: resolve(values['data-dir'], 'agent'),
  });
  await agent.start();
  console.log(`peapod agent: node ${flags.nodeName} joined ${values.server}`);
  const stop = async () => {
    await agent.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
