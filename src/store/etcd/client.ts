// The etcd3 client as the store needs it, and etcd's failures as StoreErrors. etcd3 surfaces
// etcd's errors as message text only (and drops a watch's compact_revision), so matching the
// text of etcd's well-known mvcc errors happens here, once, and nowhere else.
import { Etcd3, GRPCDeadlineExceededError, GRPCUnavailableError, ClientClosedError, type IKeyValue } from 'etcd3';
import type { KeyValue } from '../store.ts';

const unaryDeadlineMs = 5_000;
// etcd answers up to its --max-request-bytes (1.5 MiB) per object; lists are paged below this.
const maxReceiveBytes = 64 * 1024 * 1024;

export function connect(endpoints: string[]): Etcd3 {
  return new Etcd3({
    hosts: endpoints,
    grpcOptions: { 'grpc.max_receive_message_length': maxReceiveBytes },
    // Streams (watches) live as long as they are wanted; single calls get a deadline.
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + unaryDeadlineMs }),
  });
}

export function toKeyValue(kv: IKeyValue): KeyValue {
  return {
    key: kv.key.toString('utf8'),
    value: kv.value.toString('utf8'),
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
  };
}

/** etcd's ErrCompacted ("mvcc: required revision has been compacted"), from a call or a watch cancel. */
export function isCompactedError(err: unknown): boolean {
  return err instanceof Error && err.message.includes('required revision has been compacted');
}

/** etcd's ErrFutureRev ("mvcc: required revision is a future revision"). */
export function isFutureRevisionError(err: unknown): boolean {
  return err instanceof Error && err.message.includes('required revision is a future revision');
}

/** A failure that a retry may cure: etcd unreachable, too slow, or the client shut. */
export function isUnavailableError(err: unknown): boolean {
  return err instanceof GRPCUnavailableError || err instanceof GRPCDeadlineExceededError || err instanceof ClientClosedError;
}

/** The first key after every key with `prefix` (etcd's clientv3.GetPrefixRangeEnd). */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  // All 0xff (or empty): to the end of the keyspace.
  return Buffer.from([0]);
}
