// One term of a label selector (apimachinery labels.Requirement): a key, an operator and a
// set of values; how it matches a label set and how Kubernetes writes it back as text.
import { FieldPath, field, type FieldError } from '../validation/field.ts';
import { isQualifiedName, isValidLabelValue } from './syntax.ts';

export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** From a parsed string: sorted and without duplicates; from a LabelSelector: as written. */
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>> | undefined;

/** A selector that failed to parse or validate; the message is Kubernetes' own. */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

export function validateLabelKey(key: string, path: FieldPath | string): FieldError | undefined {
  const errs = isQualifiedName(key);
  return errs.length ? field.invalid(path, key, errs.join('; ')) : undefined;
}

/** Builds a requirement the way labels.NewRequirement checks it; throws the aggregated errors. */
export function newRequirement(key: string, operator: Operator, values: readonly string[]): Requirement {
  const errs: string[] = [];
  const keyErr = validateLabelKey(key, 'key');
  if (keyErr) errs.push(String(keyErr));
  const valuePath = FieldPath.root('values');
  const badCount = (detail: string) => errs.push(`values: Invalid value: ${goStrings(values)}: ${detail}`);
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) badCount("for 'in', 'notin' operators, values set can't be empty");
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) badCount('exact-match compatibility requires one single value');
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) badCount('values set must be empty for exists and does not exist');
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) badCount("for 'Gt', 'Lt' operators, exactly one value is required");
      values.forEach((v, i) => {
        if (!isInteger(v)) errs.push(String(field.invalid(valuePath.index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer")));
      });
      break;
  }
  values.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length) errs.push(String(field.invalid(valuePath.index(i).key(key), v, valueErrs.join('; '))));
  });
  if (errs.length) throw new SelectorError(aggregate(errs));
  return { key, operator, values };
}

/** utilerrors.NewAggregate(...).Error(): one message alone, several deduplicated in brackets. */
export function aggregate(messages: readonly string[]): string {
  if (messages.length === 1) return messages[0];
  return `[${[...new Set(messages)].join(', ')}]`;
}

export function matches(r: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : '';
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(value);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !isInteger(value) || r.values.length !== 1 || !isInteger(r.values[0])) return false;
      const [actual, bound] = [BigInt(value), BigInt(r.values[0])];
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

const operatorText: Record<Operator, string> = {
  '=': '=', '==': '==', '!=': '!=', in: ' in ', notin: ' notin ', exists: '', '!': '', gt: '>', lt: '<',
};

/** Requirement.String(): "app=web", "tier in (a,b)", "!canary", "debug". */
export function requirementString(r: Requirement): string {
  if (r.operator === '!') return `!${r.key}`;
  if (r.operator === 'exists') return r.key;
  const values = r.values.length === 1 ? r.values[0] : [...r.values].sort().join(',');
  const list = r.operator === 'in' || r.operator === 'notin' ? `(${values})` : values;
  return `${r.key}${operatorText[r.operator]}${list}`;
}

/** strconv.ParseInt(s, 10, 64) succeeds. */
function isInteger(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** Go's %#v of a []string, as field errors print a bad list of values. */
function goStrings(values: readonly string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}
