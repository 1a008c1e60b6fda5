// The node's pod CIDR comes from the cluster (the node IPAM controller sets spec.podCIDR). An
// agent given a fallback claims it itself when no assignment arrives in time; spec.podCIDR is
// immutable once set, so if the controller got there first the write is refused and its
// assignment is used.
import type { Node } from 'kubernetes-types/core/v1.d.ts';
import type { Clock } from '../../client/clock.ts';
import { isInvalid } from '../../client/errors.ts';
import type { RestClient } from '../../client/rest.ts';
import { nodePath } from './register.ts';
import type { NodeStatusManager } from './status.ts';

export interface PodCIDRWait {
  fallback?: string;
  waitMs: number;
  clock: Clock;
  signal: AbortSignal;
}

const hasPodCIDR = (node: Node): boolean => Boolean(node.spec?.podCIDR);

export async function waitForPodCIDR(client: RestClient, status: NodeStatusManager, wait: PodCIDRWait): Promise<string> {
  const assigned = status.waitFor(hasPodCIDR, wait.signal);
  if (wait.fallback && !hasPodCIDR(status.node())) {
    const fallback = wait.fallback;
    const cancel = wait.clock.after(wait.waitMs, () => {
      claim(client, status, fallback).catch((err: Error) => console.error(`node ${status.node().metadata?.name}: pod CIDR fallback ${fallback}: ${err.message}`));
    });
    void assigned.finally(cancel).catch(() => undefined);
  }
  return (await assigned).spec?.podCIDR as string;
}

async function claim(client: RestClient, status: NodeStatusManager, cidr: string): Promise<void> {
  if (hasPodCIDR(status.node())) return;
  const name = status.node().metadata?.name ?? '';
  try {
    status.observe(await client.patch<Node>(nodePath(name), { spec: { podCIDR: cidr, podCIDRs: [cidr] } }, 'strategic'));
  } catch (err) {
    if (!isInvalid(err)) throw err;
    status.observe(await client.get<Node>(nodePath(name)));
  }
}
