// The label and field selectors of a list or watch, as one predicate over objects.
import { parseFieldSelector } from '../selectors/fields.ts';
import { parseLabelSelector } from '../selectors/labels.ts';
import type { KubeObject } from '../registry/object.ts';

export type Predicate = (obj: KubeObject) => boolean;

export function selection(kind: string, query: URLSearchParams): Predicate {
  const labels = query.get('labelSelector');
  const fields = query.get('fieldSelector');
  const matchLabels = labels ? parseLabelSelector(labels) : undefined;
  const matchFields = fields ? parseFieldSelector(kind, fields) : undefined;
  if (!matchLabels && !matchFields) return () => true;
  return (obj) => (!matchLabels || matchLabels(obj.metadata?.labels ?? {})) && (!matchFields || matchFields(obj));
}
