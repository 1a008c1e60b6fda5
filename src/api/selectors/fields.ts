// Field selector strings (apimachinery fields.ParseSelector): comma-separated terms
// "field=value", "field==value" or "field!=value", where \ escapes \ , and = in values. Each
// field must be one the kind supports, or the request is a 400 BadRequest with kube's message.
import { errors } from '../errors.ts';
import type { KubeObject } from '../registry/object.ts';
import { kindFields, type FieldGetter } from './fieldsets.ts';

export type FieldMatcher = (obj: KubeObject) => boolean;

interface Term {
  field: string;
  value: string;
  negated: boolean;
}

export function parseFieldSelector(kind: string, selector: string): FieldMatcher {
  const checks = parseTerms(selector).map((term) => {
    const get = resolveField(kind, term.field);
    return (obj: KubeObject) => ((get(obj) ?? '') === term.value) !== term.negated;
  });
  return (obj) => checks.every((check) => check(obj));
}

/** Terms in the order Kubernetes checks them: sorted as strings, empty ones dropped. */
function parseTerms(selector: string): Term[] {
  const terms: Term[] = [];
  for (const part of splitTerms(selector).sort()) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (!split) throw errors.badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    terms.push({ field: split.field, value: unescapeValue(split.value), negated: split.op === '!=' });
  }
  return terms;
}

function resolveField(kind: string, label: string): FieldGetter {
  // Old clients select pods by spec.host, which Kubernetes reads as spec.nodeName.
  const field = kind === 'Pod' && label === 'spec.host' ? 'spec.nodeName' : label;
  const fields = kindFields(kind);
  const get = fields.getters.get(field);
  if (get) return get;
  throw errors.badRequest(fields.defaultConversion
    ? `${JSON.stringify(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`
    : `field label not supported: ${label}`);
}

/** Splits on commas that are not escaped. */
function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** The first operator in the term, trying "!=" and "==" before "=" at each position. */
function splitTerm(term: string): { field: string; op: string; value: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '=']) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), op, value: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw errors.badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune as a number here.
      throw errors.badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw errors.badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}
