// Label selector strings, parsed exactly as apimachinery labels.Parse does (same grammar, same
// error texts), into a matcher over an object's labels:
//
//   selector    = requirement ("," requirement)*
//   requirement = ["!"] key | key ("=" | "==" | "!=" | ">" | "<") [value] | key ("in" | "notin") "(" values ")"
import { errors } from '../errors.ts';
import { scan, type ScannedItem, type Token } from './lexer.ts';
import { SelectorError, matches, newRequirement, validateLabelKey, type Labels, type Operator, type Requirement } from './requirement.ts';

export type LabelMatcher = (labels: Labels) => boolean;

/** Parses a labelSelector query parameter; a bad one is a 400 BadRequest, as kube-apiserver answers. */
export function parseLabelSelector(selector: string): LabelMatcher {
  let requirements: Requirement[];
  try {
    requirements = parseRequirements(selector);
  } catch (err) {
    if (err instanceof SelectorError) throw errors.badRequest(err.message);
    throw err;
  }
  return matcherOf(requirements);
}

export function matcherOf(requirements: readonly Requirement[]): LabelMatcher {
  return (labels) => requirements.every((r) => matches(r, labels));
}

/** labels.Parse: the requirements sorted by key; throws SelectorError. */
export function parseRequirements(selector: string): Requirement[] {
  const p = new Parser(scan(selector));
  return p.parse().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** In a value position the words "in" and "notin" are plain identifiers. */
function asValue(tok: Token): Token {
  return tok === 'in' || tok === 'notIn' ? 'identifier' : tok;
}

const binaryOperators: Partial<Record<Token, Operator>> = {
  in: 'in', equals: '=', doubleEquals: '==', greaterThan: 'gt', lessThan: 'lt', notIn: 'notin', notEquals: '!=',
};

class Parser {
  private readonly items: ScannedItem[];
  private position = 0;

  constructor(items: ScannedItem[]) {
    this.items = items;
  }

  private lookahead(): ScannedItem {
    const item = this.items[this.position];
    return { tok: asValue(item.tok), literal: item.literal };
  }

  private consume(valueContext = true): ScannedItem {
    const item = this.items[this.position++];
    return { tok: valueContext ? asValue(item.tok) : item.tok, literal: item.literal };
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { tok, literal } = this.lookahead();
      if (tok === 'end') return requirements;
      if (tok !== 'identifier' && tok !== 'doesNotExist') {
        throw new SelectorError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (err) {
        if (err instanceof SelectorError) throw new SelectorError(`unable to parse requirement: ${err.message}`);
        throw err;
      }
      const next = this.consume();
      if (next.tok === 'end') return requirements;
      if (next.tok !== 'comma') throw new SelectorError(`found '${next.literal}', expected: ',' or 'end of string'`);
      const after = this.lookahead();
      if (after.tok !== 'identifier' && after.tok !== 'doesNotExist') {
        throw new SelectorError(`found '${after.literal}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): Requirement {
    let { tok, literal } = this.consume();
    let operator: Operator | undefined;
    if (tok === 'doesNotExist') {
      operator = '!';
      ({ tok, literal } = this.consume());
    }
    if (tok !== 'identifier') throw new SelectorError(`found '${literal}', expected: identifier`);
    // Kubernetes formats this field error with a nil path.
    const keyErr = validateLabelKey(literal, '<nil>');
    if (keyErr) throw new SelectorError(String(keyErr));
    const key = literal;
    const next = this.lookahead().tok;
    if (next === 'end' || next === 'comma') operator ??= 'exists';
    if (operator === '!' || operator === 'exists') return newRequirement(key, operator, []);
    operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, operator, [...values].sort());
  }

  private parseOperator(): Operator {
    const { tok, literal } = this.consume(false);
    const op = binaryOperators[tok];
    if (!op) throw new SelectorError(`found '${literal}', expected: in, notin, =, ==, !=, gt, lt`);
    return op;
  }

  private parseValues(): Set<string> {
    const open = this.consume();
    if (open.tok !== 'openPar') throw new SelectorError(`found '${open.literal}' expected: '('`);
    const { tok, literal } = this.lookahead();
    if (tok === 'closedPar') {
      this.consume();
      return new Set(['']);
    }
    if (tok !== 'identifier' && tok !== 'comma') throw new SelectorError(`found '${literal}', expected: ',', ')' or identifier`);
    const values = this.parseIdentifiersList();
    if (this.consume().tok !== 'closedPar') throw new SelectorError(`found '${literal}', expected: ')'`);
    return values;
  }

  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const { tok, literal } = this.consume();
      if (tok === 'identifier') {
        values.add(literal);
        const next = this.lookahead();
        if (next.tok === 'comma') continue;
        if (next.tok === 'closedPar') return values;
        throw new SelectorError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (tok !== 'comma') throw new SelectorError(`found '${literal}', expected: ',', or identifier`);
      // Empty values: "(,a", "a,)" and "a,,b" each add the empty string.
      if (values.size === 0) values.add('');
      const next = this.lookahead().tok;
      if (next === 'closedPar') {
        values.add('');
        return values;
      }
      if (next === 'comma') {
        this.consume();
        values.add('');
      }
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead().tok;
    if (next === 'end' || next === 'comma') return new Set(['']);
    const { tok, literal } = this.consume();
    if (tok === 'identifier') return new Set([literal]);
    throw new SelectorError(`found '${literal}', expected: identifier`);
  }
}
