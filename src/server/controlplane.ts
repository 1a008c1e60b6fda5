// What `peapod server` runs beside the API server, started once the API is ready and stopped
// before it: the scheduler and the controllers, each a client of the API over loopback.
import type { ClientConfig } from '../client/config.ts';
import { RestClient } from '../client/rest.ts';
import { NamespaceController } from '../controllers/namespace/controller.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { ServiceAccountController } from '../controllers/serviceaccount/controller.ts';

export interface Component {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ControlPlane {
  stop(): Promise<void>;
}

export async function startControlPlane(loopback: ClientConfig): Promise<ControlPlane> {
  const client = new RestClient(loopback);
  const components: Component[] = [new Scheduler(client), new NamespaceController(client), new ServiceAccountController(client)];
  await Promise.all(components.map((c) => c.start()));
  return {
    stop: async () => {
      await Promise.all(components.map((c) => c.stop()));
      client.close();
    },
  };
}
