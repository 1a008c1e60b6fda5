// peapod server: the store, the API server, then the scheduler and controllers against it.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { startApiServer } from '../api/server.ts';
import { startControlPlane } from '../server/controlplane.ts';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string', default: '/var/lib/peapod' },
      port: { type: 'string', default: '6443' },
      'bind-address': { type: 'string', default: '127.0.0.1' },
      datastore: { type: 'string', default: 'sqlite' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port: ${values.port}`);
  const server = await startApiServer({
    dataDir: resolve(values['data-dir']),
    port,
    bindAddress: values['bind-address'],
    datastore: values.datastore,
  });
  const controlPlane = await startControlPlane(server.loopback);
  console.log(`peapod server: serving on ${server.url}`);
  console.log(`peapod server: admin kubeconfig at ${server.kubeconfigPath}`);
  const stop = async () => {
    await controlPlane.stop();
    await server.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
