// Some Kubernetes messages print a bad value with Go's %#v (a label map, a selector), e.g.
//   spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`
// FieldError prints values as JSON; GoValueError prints a pre-rendered Go literal instead.
import { FieldError, type FieldPath } from './field.ts';
import type { LabelSelector } from 'kubernetes-types/meta/v1.d.ts';

class GoValueError extends FieldError {
  private readonly goText: string;
  constructor(path: FieldPath | string, goText: string, detail: string) {
    super('FieldValueInvalid', path, goText, detail);
    this.goText = goText;
  }
  override body(): string {
    return `Invalid value: ${this.goText}${this.detail ? `: ${this.detail}` : ''}`;
  }
}

/** field.Invalid whose value is printed verbatim (already in Go syntax). */
export function invalidGo(path: FieldPath | string, goText: string, detail: string): FieldError {
  return new GoValueError(path, goText, detail);
}

const quote = (s: string): string => JSON.stringify(s);

/** %#v of a map[string]string: keys sorted, as fmt prints maps. */
export function goStringMap(m: Record<string, string> | undefined): string {
  if (!m) return 'map[string]string(nil)';
  const entries = Object.keys(m).sort().map((k) => `${quote(k)}:${quote(m[k]!)}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** %#v of a []string. */
export function goStringSlice(list: readonly string[] | undefined): string {
  if (!list) return '[]string(nil)';
  return `[]string{${list.map(quote).join(', ')}}`;
}

/** %#v of a metav1.LabelSelector (the error value, dereferenced). */
export function goLabelSelector(s: LabelSelector | undefined): string {
  if (!s) return 'null';
  const exprs = s.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions
        .map((e) => `v1.LabelSelectorRequirement{Key:${quote(e.key)}, Operator:${quote(e.operator)}, Values:${goStringSlice(e.values)}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** Go's time.Time String() of an RFC 3339 timestamp (immutable-field errors print it). */
export function goTime(ts: string | undefined): string {
  if (!ts) return '0001-01-01 00:00:00 +0000 UTC';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  return `${d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} +0000 UTC`;
}
