// The seam between the agent's streaming routes (exec, attach, portForward) and the agent: which
// running container or pod network a request means, in the kubelet's words when there is none
// (kubelet.go GetExec/GetAttach/GetPortForward). The routes answer these as plain text before
// any upgrade, as the kubelet's streaming.WriteError does; kubectl then prints
// `error: unable to upgrade connection: container not found ("c")`.
import type { ExecOptions, ExecProcess } from '../runtime/runtime.ts';
import type { PortDialer } from '../../streaming/portforward/forwarder.ts';

export class StreamingLookupError extends Error {
  readonly status: 404 | 500;
  constructor(status: 404 | 500, message: string) {
    super(message);
    this.name = 'StreamingLookupError';
    this.status = status;
  }
}

export const streamingErrors = {
  podNotFound: () => new StreamingLookupError(404, 'pod does not exist'),
  containerNotFound: (container: string) => new StreamingLookupError(500, `container not found (${JSON.stringify(container)})`),
  sandboxNotFound: (podFullName: string) => new StreamingLookupError(500, `pod not found (${JSON.stringify(podFullName)})`),
};

/** A running container a command can run in or attach to. */
export interface StreamingContainer {
  exec(options: ExecOptions): Promise<ExecProcess>;
  attach(options: ExecOptions): Promise<ExecProcess>;
}

/** A pod whose network namespace can be dialed into. */
export interface StreamingPod {
  name: string;
  uid: string;
  dial: PortDialer;
}

export interface StreamingHost {
  container(namespace: string, pod: string, container: string): Promise<StreamingContainer | StreamingLookupError>;
  pod(namespace: string, pod: string): Promise<StreamingPod | StreamingLookupError>;
}
