// The Event table: LAST SEEN, TYPE, REASON, OBJECT (kind/name), MESSAGE; wide adds SUBOBJECT,
// SOURCE, FIRST SEEN, COUNT and NAME. Events of the events.k8s.io shape (eventTime, series)
// are aged by those fields.
import type { Event } from 'kubernetes-types/core/v1.d.ts';
import type { KubeObject } from '../registry/object.ts';
import { column, docs, wide } from './columns.ts';
import { translateTimestampSince } from './duration.ts';
import type { PrintedRow, Printer } from './types.ts';

const fieldPathDoc = 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.';

const columns = [
  column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
  column('Reason', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
  column('Object', 'The object that this event is about.'),
  column('Subobject', fieldPathDoc, wide),
  column('Source', 'The component reporting this event. Should be a short machine understandable string.', wide),
  column('Message', 'A human-readable description of the status of this operation.'),
  column('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', wide),
  column('Count', 'The number of times this event has occurred.', wide),
  column('Name', docs.name, { priority: 1, format: 'name' }),
];

/** "component, host", falling back to the reporting controller and instance. */
function eventSource(e: Event): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

function printEvent(obj: KubeObject, now: Date): PrintedRow {
  // Event declares fields required that stored objects may still lack.
  const e = obj as unknown as Event;
  const firstSeen = e.firstTimestamp
    ? translateTimestampSince(e.firstTimestamp, now)
    : translateTimestampSince(e.eventTime, now);
  let lastSeen = e.lastTimestamp ? translateTimestampSince(e.lastTimestamp, now) : firstSeen;
  // Singleton events of the new API carry no count.
  let count = e.count || 1;
  if (e.series) {
    lastSeen = translateTimestampSince(e.series.lastObservedTime, now);
    count = e.series.count ?? 0;
  }
  const involved = e.involvedObject;
  const kind = (involved?.kind ?? '').toLowerCase();
  const target = involved?.name ? `${kind}/${involved.name}` : kind;
  return {
    cells: [
      lastSeen,
      e.type ?? '',
      e.reason ?? '',
      target,
      involved?.fieldPath ?? '',
      eventSource(e),
      (e.message ?? '').trim(),
      firstSeen,
      count,
      e.metadata?.name ?? '',
    ],
  };
}

export const eventPrinter: Printer = { columns, print: printEvent };
