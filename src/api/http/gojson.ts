// Go's encoding/json syntax errors, which kube-apiserver passes through in its 400 answers
// ("json parse error: invalid character '}' looking for beginning of object key string").
// A small scanner in the states of Go's, used only once JSON.parse has already failed.

type Step = 'value' | 'objectKeyOrEnd' | 'objectKey' | 'colon' | 'objectNext' | 'arrayValueOrEnd' | 'arrayNext' | 'end';

const contexts: Record<Step, string> = {
  value: 'looking for beginning of value',
  arrayValueOrEnd: 'looking for beginning of value',
  objectKeyOrEnd: 'looking for beginning of object key string',
  objectKey: 'looking for beginning of object key string',
  colon: 'after object key',
  objectNext: 'after object key:value pair',
  arrayNext: 'after array element',
  end: 'after top-level value',
};

/** The message Go's json.Unmarshal gives for this text (assumed invalid). */
export function goJsonSyntaxError(text: string): string {
  const stack: ('object' | 'array')[] = [];
  let step: Step = 'value';
  let i = 0;
  const afterValue = (): Step => (stack.length === 0 ? 'end' : stack.at(-1) === 'object' ? 'objectNext' : 'arrayNext');
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    switch (step) {
      case 'value':
      case 'arrayValueOrEnd':
        if (step === 'arrayValueOrEnd' && c === ']') { stack.pop(); step = afterValue(); i++; break; }
        if (c === '{') { stack.push('object'); step = 'objectKeyOrEnd'; i++; break; }
        if (c === '[') { stack.push('array'); step = 'arrayValueOrEnd'; i++; break; }
        if (c === '"') { const r = scanString(text, i); if (typeof r === 'string') return r; i = r; step = afterValue(); break; }
        { const r = scanLiteral(text, i); if (typeof r === 'string') return r; i = r; step = afterValue(); }
        break;
      case 'objectKeyOrEnd':
      case 'objectKey':
        if (step === 'objectKeyOrEnd' && c === '}') { stack.pop(); step = afterValue(); i++; break; }
        if (c !== '"') return invalid(c, contexts[step]);
        { const r = scanString(text, i); if (typeof r === 'string') return r; i = r; step = 'colon'; }
        break;
      case 'colon':
        if (c !== ':') return invalid(c, contexts.colon);
        step = 'value'; i++;
        break;
      case 'objectNext':
      case 'arrayNext': {
        const close = step === 'objectNext' ? '}' : ']';
        if (c === ',') { step = step === 'objectNext' ? 'objectKey' : 'value'; i++; break; }
        if (c !== close) return invalid(c, contexts[step]);
        stack.pop(); step = afterValue(); i++;
        break;
      }
      case 'end':
        return invalid(c, contexts.end);
    }
  }
  return 'unexpected end of JSON input';
}

function scanString(text: string, start: number): number | string {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"') return i + 1;
    if (c === '\\') { i++; continue; }
    if (c < ' ') return invalid(c, 'in string literal');
  }
  return 'unexpected end of JSON input';
}

function scanLiteral(text: string, start: number): number | string {
  const c = text[start];
  for (const word of ['true', 'false', 'null']) {
    if (c !== word[0]) continue;
    for (let k = 1; k < word.length; k++) {
      if (start + k >= text.length) return 'unexpected end of JSON input';
      if (text[start + k] !== word[k]) return invalid(text[start + k], `in literal ${word} (expecting '${word[k]}')`);
    }
    return start + word.length;
  }
  if (c === '-' || (c >= '0' && c <= '9')) {
    let i = start + 1;
    while (i < text.length && /[0-9.eE+-]/.test(text[i])) i++;
    return i;
  }
  return invalid(c, 'looking for beginning of value');
}

function invalid(c: string, context: string): string {
  return `invalid character ${quoteChar(c)} ${context}`;
}

/** Go's quoteChar: 'x', '\'', '"', '\n', '\x01'. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const quoted = JSON.stringify(c);
  return `'${quoted.slice(1, -1).replace(/\\u00([0-9a-f]{2})/, '\\x$1')}'`;
}
