// Typed errors of the pod network. Callers branch on `code`, never on the message; the message
// is written for a pod event ("Failed to create pod sandbox: …").

export type NetworkErrorCode =
  /** A CNI plugin reported an error (or died); `plugin`, `command` and the CNI error are set. */
  | 'PluginFailed'
  /** A kubernetes.io/{ingress,egress}-bandwidth annotation is not a reasonable quantity. */
  | 'InvalidBandwidth'
  /** The request or the options cannot be turned into a CNI call (bad CIDR, bad sandbox id). */
  | 'InvalidArgument'
  /** The node-wide setup (the pods' masquerade rules) failed. */
  | 'NodeSetupFailed';

/** The error object a CNI plugin prints on stdout when it fails (CNI spec, "Error"). */
export interface CniErrorBody {
  code: number;
  msg: string;
  details?: string;
}

export class NetworkError extends Error {
  readonly code: NetworkErrorCode;
  readonly plugin?: string;
  readonly command?: string;
  readonly cni?: CniErrorBody;

  constructor(
    code: NetworkErrorCode,
    message: string,
    context?: { plugin?: string; command?: string; cni?: CniErrorBody; cause?: unknown },
  ) {
    super(message, context?.cause === undefined ? undefined : { cause: context.cause });
    this.name = 'NetworkError';
    this.code = code;
    if (context?.plugin !== undefined) this.plugin = context.plugin;
    if (context?.command !== undefined) this.command = context.command;
    if (context?.cni !== undefined) this.cni = context.cni;
  }
}
