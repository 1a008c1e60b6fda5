// A node to benchmark pods on: a test registry of the run's own and `peapod server` with its
// embedded agent on a test node slot, reached through a REST client; all stopped afterwards.
import { loadKubeconfig } from '../src/client/config.ts';
import { RestClient } from '../src/client/rest.ts';
import { startServer, type TestServer } from '../test/support/server.ts';
import { startTestRegistry } from '../test/support/images.ts';

export interface BenchNode {
  client: RestClient;
  server: TestServer;
  /** host:port of the run's registry (the test images). */
  registryHost: string;
}

export async function withBenchNode<T>(body: (node: BenchNode) => Promise<T>): Promise<T> {
  const registry = await startTestRegistry();
  process.env.PEAPOD_TEST_REGISTRY = registry.host;
  try {
    const server = await startServer({ agent: true });
    const client = new RestClient(await loadKubeconfig(server.kubeconfig));
    try {
      return await body({ client, server, registryHost: registry.host });
    } finally {
      client.close();
      await server.stop();
    }
  } finally {
    await registry.stop();
  }
}
