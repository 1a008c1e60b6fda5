// GET|POST /portForward/{namespace}/{pod} — the kubelet's port-forward endpoint, reached through
// kube-apiserver's upgrade proxy: SPDY/3.1 (or SPDY in a WebSocket), one stream pair per local
// connection of kubectl's, each dialed to the pod's port (streaming/portforward).
import type { Duplex } from 'node:stream';
import { acceptPortForward } from '../../streaming/portforward/accept.ts';
import { refuseUpgrade } from '../../streaming/websocket/accept.ts';
import type { AgentCall, AgentRoute } from './server.ts';
import { StreamingLookupError, type StreamingHost } from './streaming_host.ts';

export function portForwardRoutes(host: StreamingHost): AgentRoute[] {
  return ['GET', 'POST'].map((method) => ({
    method,
    path: /^\/portForward\/(?<namespace>[^/]+)\/(?<pod>[^/]+)$/,
    upgrade: (call: AgentCall, socket: Duplex, head: Buffer) => void serve(host, call, socket, head).catch((err: unknown) => {
      console.error(`agent: portForward ${call.params.namespace}/${call.params.pod}:`, err);
      socket.destroy();
    }),
  }));
}

async function serve(host: StreamingHost, call: AgentCall, socket: Duplex, head: Buffer): Promise<void> {
  const pod = await host.pod(call.params.namespace!, call.params.pod!);
  if (pod instanceof StreamingLookupError) {
    refuseUpgrade(socket, pod.status, pod.status === 404 ? 'Not Found' : 'Internal Server Error', pod.message);
    return;
  }
  await acceptPortForward(call.req, socket, head, { podName: pod.name, podUid: pod.uid, dial: pod.dial });
}
