// peapod server: the store, the API server, then the scheduler and controllers against it, and
// (unless --no-agent) a node agent for this machine.
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { Agent } from '../agent/agent.ts';
import { startApiServer } from '../api/server.ts';
import { startControlPlane } from '../server/controlplane.ts';
import { agentFlagOptions, parseAgentFlags } from './agent_flags.ts';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string', default: '/var/lib/peapod' },
      port: { type: 'string', default: '6443' },
      'bind-address': { type: 'string', default: '127.0.0.1' },
      datastore: { type: 'string', default: 'sqlite' },
      'cluster-cidr': { type: 'string', default: '10.42.0.0/16' },
      'no-agent': { type: 'boolean', default: false },
      ...agentFlagOptions,
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port: ${values.port}`);
  const dataDir = resolve(values['data-dir']);
  const agentFlags = values['no-agent'] ? undefined : parseAgentFlags(values);
  const server = await startApiServer({ dataDir, port, bindAddress: values['bind-address'], datastore: values.datastore });
  const controlPlane = await startControlPlane(server.loopback, { clusterCidr: values['cluster-cidr'] });
  const agent = agentFlags && new Agent({
    ...agentFlags,
    client: { ...server.loopback, userAgent: `peapod-agent/${agentFlags.nodeName}` },
    clusterCa: server.clusterCa,
    dataDir: join(dataDir, 'agent'),
  });
  await agent?.start();
  server.setInProcessKubelet(agent?.inProcessKubelet());
  console.log(`peapod server: serving on ${server.url}`);
  console.log(`peapod server: admin kubeconfig at ${server.kubeconfigPath}`);
  if (agent) console.log(`peapod server: node ${agentFlags?.nodeName} ready`);
  const stop = async () => {
    server.setInProcessKubelet(undefined);
    await agent?.stop();
    await controlPlane.stop();
    await server.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
