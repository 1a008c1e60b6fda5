// What a reader of container logs is asked for: the kubelet's LogOptions, made from the API's
// PodLogOptions (pkg/kubelet/kuberuntime/logs NewLogOptions).
import type { PodLogOptions } from '../../api/handlers/log.ts';
import type { LogStream } from './cri.ts';

export interface LogOptions {
  /** Only the last N lines; undefined reads the whole file. */
  tailLines?: number;
  /** Stop after this many bytes of output; undefined for no limit. */
  limitBytes?: number;
  /** Only lines written at or after this instant. */
  since?: Date;
  /** Prefix each line with its time, RFC 3339 with nine fraction digits. */
  timestamps: boolean;
  /** Keep reading as the container writes; stop when it has exited and its file is drained. */
  follow: boolean;
  /** Which streams to show; both, merged in file order, unless told. */
  streams: readonly LogStream[];
}

/** sinceSeconds counts back from `now`; a later sinceTime wins, as in the kubelet. */
export function logOptionsFrom(api: PodLogOptions, now: Date): LogOptions {
  let since: Date | undefined;
  if (api.sinceSeconds !== undefined) since = new Date(now.getTime() - api.sinceSeconds * 1000);
  if (api.sinceTime !== undefined) {
    const sinceTime = new Date(api.sinceTime);
    if (!since || sinceTime > since) since = sinceTime;
  }
  return {
    tailLines: api.tailLines,
    limitBytes: api.limitBytes,
    since,
    timestamps: api.timestamps ?? false,
    follow: api.follow ?? false,
    streams: ['stdout', 'stderr'],
  };
}
