// `$(VAR)` references, as Kubernetes' third_party/forked/golang/expansion expands them in env
// values, command and args:
//   $(NAME)  → the value of NAME, or `$(NAME)` unchanged when NAME is unknown
//   $$       → a literal `$` (so `$$(NAME)` yields `$(NAME)`)
//   `$(` without a closing `)`, or `$` before any other character, is kept as written.

const operator = '$';
const opener = '(';
const closer = ')';

export type Mapping = (name: string) => string;

/** A mapping over the given maps, first match wins; unknown names stay as `$(NAME)`. */
export function mappingFor(...contexts: ReadonlyMap<string, string>[]): Mapping {
  return (name) => {
    for (const vars of contexts) {
      const value = vars.get(name);
      if (value !== undefined) return value;
    }
    return `${operator}${opener}${name}${closer}`;
  };
}

export function expand(input: string, mapping: Mapping): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== operator || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const { read, isVar, advance } = readVariableName(input.slice(cursor + 1));
    out += isVar ? mapping(read) : operator + read;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

// `input` starts right after a `$`. Returns what was consumed and whether it names a variable.
function readVariableName(input: string): { read: string; isVar: boolean; advance: number } {
  if (input[0] === operator) return { read: '', isVar: false, advance: 1 };
  if (input[0] === opener) {
    const end = input.indexOf(closer, 1);
    if (end !== -1) return { read: input.slice(1, end), isVar: true, advance: end + 1 };
    return { read: opener, isVar: false, advance: 1 };
  }
  return { read: input[0]!, isVar: false, advance: 1 };
}
