// What `peapod server` runs beside the API server, started once the API is ready and stopped
// before it: the scheduler and the controllers, each a client of the API over loopback.
import type { ClientConfig } from '../client/config.ts';
import { RestClient } from '../client/rest.ts';
import { NamespaceController } from '../controllers/namespace/controller.ts';
import { NodeIpamController } from '../controllers/nodeipam/controller.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { ServiceAccountController } from '../controllers/serviceaccount/controller.ts';

export interface Component {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ControlPlane {
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** Pod CIDRs of nodes are /24s from it. */
  clusterCidr?: string;
}

export async function startControlPlane(loopback: ClientConfig, options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const client = new RestClient(loopback);
  const components: Component[] = [
    new Scheduler(client), new NamespaceController(client), new ServiceAccountController(client),
    new NodeIpamController(client, { clusterCIDR: options.clusterCidr }),
  ];
  await Promise.all(components.map((c) => c.start()));
  return {
    stop: async () => {
      await Promise.all(components.map((c) => c.stop()));
      client.close();
    },
  };
}
