// core/v1 Events: the reporting fields are plain strings in v1, so the API always shows them
// (`reportingComponent: ""`, `reportingInstance: ""`) and eventTime as null when unset.
import type { Event } from 'kubernetes-types/core/v1.d.ts';

export function defaultEvent(ev: Event): void {
  ev.reportingComponent ??= '';
  ev.reportingInstance ??= '';
  (ev as { eventTime?: string | null }).eventTime ??= null;
}
