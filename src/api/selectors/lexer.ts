// The tokenizer of label selector strings (apimachinery labels.Lexer): identifiers run until
// whitespace or one of = ! ( ) , > <; symbols combine greedily ("!=", "==").

export type Token =
  | 'end'
  | 'closedPar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openPar'
  | 'error';

export interface ScannedItem {
  tok: Token;
  literal: string;
}

const keywords = new Map<string, Token>(Object.entries({
  ')': 'closedPar',
  ',': 'comma',
  '!': 'doesNotExist',
  '==': 'doubleEquals',
  '=': 'equals',
  '>': 'greaterThan',
  in: 'in',
  '<': 'lessThan',
  '!=': 'notEquals',
  notin: 'notIn',
  '(': 'openPar',
} satisfies Record<string, Token>));

const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string) => '=!(),><'.includes(ch);

/** Splits a selector into tokens, ending with one 'end' item. Works on bytes, as Go does. */
export function scan(selector: string): ScannedItem[] {
  const s = Buffer.from(selector, 'utf8').toString('latin1');
  let pos = 0;
  const items: ScannedItem[] = [];
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    // Go's lexer reads a NUL byte as the end of the input.
    if (pos >= s.length || s[pos] === '\0') {
      items.push({ tok: 'end', literal: '' });
      return items;
    }
    const start = pos;
    if (isSpecialSymbol(s[pos])) {
      let best: ScannedItem | undefined;
      while (pos < s.length && isSpecialSymbol(s[pos])) {
        const tok = keywords.get(s.slice(start, pos + 1));
        if (tok) best = { tok, literal: s.slice(start, pos + 1) };
        else if (best) break;
        pos++;
      }
      items.push(best ?? { tok: 'error', literal: `error expected: keyword found '${decode(s.slice(start, pos))}'` });
      continue;
    }
    while (pos < s.length && s[pos] !== '\0' && !isSpecialSymbol(s[pos]) && !isWhitespace(s[pos])) pos++;
    const word = decode(s.slice(start, pos));
    items.push({ tok: keywords.get(word) ?? 'identifier', literal: word });
  }
}

function decode(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}
