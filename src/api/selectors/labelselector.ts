// metav1.LabelSelector (matchLabels + matchExpressions), as deployments and replica sets carry
// it: turned into requirements the way metav1.LabelSelectorAsSelector does, and printed back.
import type { LabelSelector } from 'kubernetes-types/meta/v1.d.ts';
import { matcherOf, type LabelMatcher } from './labels.ts';
import { SelectorError, newRequirement, requirementString, type Operator, type Requirement } from './requirement.ts';

const expressionOperators: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * The requirements of a selector: undefined for a missing selector (which selects nothing),
 * [] for an empty one (which selects everything). Throws SelectorError when invalid.
 */
export function labelSelectorRequirements(selector: LabelSelector | undefined): Requirement[] | undefined {
  if (!selector) return undefined;
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) requirements.push(newRequirement(key, '=', [value]));
  for (const expr of selector.matchExpressions ?? []) {
    const op = Object.hasOwn(expressionOperators, expr.operator) ? expressionOperators[expr.operator] : undefined;
    if (!op) throw new SelectorError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    requirements.push(newRequirement(expr.key, op, [...(expr.values ?? [])]));
  }
  return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A matcher for a workload's selector; a missing selector matches no labels at all. */
export function labelSelectorFromMeta(selector: LabelSelector | undefined): LabelMatcher {
  const requirements = labelSelectorRequirements(selector);
  return requirements ? matcherOf(requirements) : () => false;
}

/** labels.Selector.String(): "app=web,tier in (a,b)"; "" for a missing or empty selector. */
export function labelSelectorString(selector: LabelSelector | undefined): string {
  return (labelSelectorRequirements(selector) ?? []).map(requirementString).join(',');
}

/** metav1.FormatLabelSelector: like labelSelectorString, but "<none>" when empty and "<error>" when invalid. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  try {
    return labelSelectorString(selector) || '<none>';
  } catch (err) {
    if (err instanceof SelectorError) return '<error>';
    throw err;
  }
}

/** labels.FormatLabels of a map selector (services): "app=web,tier=db" sorted by key, "<none>" when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels?.[k]}`).join(',') : '<none>';
}
