// Records core/v1 Events about objects, as client-go's record.EventRecorder does: one Event per
// (object, type, reason, message, source); a repeat bumps its count and lastTimestamp instead of
// creating another, so `kubectl describe` shows "x3 over 2m". Like client-go's broadcaster, a
// call returns at once and the writes happen in the background, in order, so that recording an
// event never holds up the work it is about; past MAX_PENDING unwritten events, new ones are
// dropped (the API server is not answering). A repeat of an event still waiting to be written is
// folded into that write (its count), so that a probe failing every second cannot pile up writes.
import type { Event, ObjectReference } from 'kubernetes-types/core/v1.d.ts';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.d.ts';
import { isConflict, isNotFound } from './errors.ts';
import { resourcePath } from './paths.ts';
import type { RestClient } from './rest.ts';

export interface Recordable {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export type EventType = 'Normal' | 'Warning';

const MAX_PENDING = 1000;

interface Seen {
  name: string;
  namespace: string;
  count: number;
}

export class EventRecorder {
  private readonly client: RestClient;
  private readonly component: string;
  private readonly host: string;
  private readonly now: () => Date;
  private readonly seen = new Map<string, Seen>();
  private written: Promise<void> = Promise.resolve();
  private pending = 0;
  /** Events queued and not written yet, by key: how many times each was recorded meanwhile. */
  private readonly queued = new Map<string, number>();

  constructor(client: RestClient, component: string, options: { host?: string; now?: () => Date } = {}) {
    this.client = client;
    this.component = component;
    this.host = options.host ?? '';
    this.now = options.now ?? (() => new Date());
  }

  /** Queues the event; never throws: one that cannot be written is reported and dropped, as client-go does. */
  event(obj: Recordable, type: EventType, reason: string, message: string): void {
    const what = `${reason} for ${obj.kind}/${obj.metadata?.name}`;
    if (this.pending >= MAX_PENDING) {
      console.error(`events: dropped ${what}: ${MAX_PENDING} events wait to be written`);
      return;
    }
    const ref = reference(obj);
    const key = [ref.uid, ref.kind, ref.namespace, ref.name, type, reason, message].join('\0');
    const waiting = this.queued.get(key);
    if (waiting !== undefined) {
      this.queued.set(key, waiting + 1);
      return;
    }
    this.queued.set(key, 1);
    this.pending++;
    this.written = this.written.then(() => {
      const times = this.queued.get(key) ?? 1;
      this.queued.delete(key);
      return this.write(key, ref, { type, reason, message }, times);
    }).catch((err: unknown) => {
      console.error(`events: cannot record ${what}: ${(err as Error).message}`);
    }).finally(() => { this.pending--; });
  }

  /** Resolves once every event queued so far was written (or dropped). */
  flush(): Promise<void> {
    return this.written;
  }

  /** Writes an event recorded `times` times: a new one with that count, or a patch of the count. */
  private async write(key: string, ref: ObjectReference, { type, reason, message }: { type: EventType; reason: string; message: string }, times: number): Promise<void> {
    const now = this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const seen = this.seen.get(key);
    if (seen) {
      try {
        seen.count += times;
        const path = resourcePath({ version: 'v1', resource: 'events', namespace: seen.namespace, name: seen.name });
        await this.client.patch(path, { count: seen.count, lastTimestamp: now }, 'merge');
        return;
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
        this.seen.delete(key);
      }
    }
    const namespace = ref.namespace || 'default';
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${ref.name}.${eventSuffix(this.now())}`, namespace },
      involvedObject: ref,
      type,
      reason,
      message,
      source: this.host ? { component: this.component, host: this.host } : { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.host,
      firstTimestamp: now,
      lastTimestamp: now,
      count: times,
    };
    await this.client.create(resourcePath({ version: 'v1', resource: 'events', namespace }), event);
    this.seen.set(key, { name: event.metadata.name as string, namespace, count: times });
  }
}

function reference(obj: Recordable): ObjectReference {
  const ref: ObjectReference = {
    kind: obj.kind,
    namespace: obj.metadata?.namespace,
    name: obj.metadata?.name,
    uid: obj.metadata?.uid,
    apiVersion: obj.apiVersion,
    resourceVersion: obj.metadata?.resourceVersion,
  };
  return ref;
}

/** Kubernetes names events <object>.<unix nanoseconds in hex>. */
function eventSuffix(now: Date): string {
  return (BigInt(now.getTime()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000))).toString(16);
}
