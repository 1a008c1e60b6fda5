// Kubernetes' $(VAR) expansion (third_party/forked/golang/expansion): "$(NAME)" is replaced by
// the mapping's value, "$$" is a literal "$", anything else after "$" stays as written.
export function expand(input: string, mapping: (name: string) => string): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    if (input[i] !== '$' || i + 1 >= input.length) {
      out += input[i++];
      continue;
    }
    const next = input[i + 1];
    const close = next === '(' ? input.indexOf(')', i + 2) : -1;
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (close !== -1) {
      out += mapping(input.slice(i + 2, close));
      i = close + 1;
    } else {
      // An unterminated "$(" or a lone "$x" is kept as is.
      out += `$${next}`;
      i += 2;
    }
  }
  return out;
}
