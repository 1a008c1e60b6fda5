// A reader for the regular declaration files of kubernetes-types: doc comments, imports,
// `export interface X { field?: Type; }` and `export type X = T;`. It understands exactly the
// type expressions those files use: names, `string`/`number`/`boolean`, string literals,
// `Array<T>`, `{ [name: string]: T; }` and unions (`number | string` for int-or-string fields).

export type TypeExpr =
  | { kind: 'primitive'; name: 'string' | 'number' | 'boolean' }
  | { kind: 'literal'; value: string }
  | { kind: 'ref'; name: string }
  | { kind: 'array'; items: TypeExpr }
  | { kind: 'map'; values: TypeExpr }
  | { kind: 'union'; types: TypeExpr[] };

export interface FieldDecl {
  name: string;
  doc: string;
  optional: boolean;
  type: TypeExpr;
}

export type Declaration =
  | { kind: 'interface'; name: string; doc: string; fields: FieldDecl[] }
  | { kind: 'alias'; name: string; doc: string; type: TypeExpr };

export interface DeclarationFile {
  /** Imported name → module specifier as written ("../meta/v1"). */
  imports: Map<string, string>;
  declarations: Declaration[];
}

/** Parses one .d.ts file of kubernetes-types; `source` names it in errors. */
export function parseDeclarationFile(text: string, source: string): DeclarationFile {
  return new Parser(text, source).file();
}

const identifier = /[A-Za-z_$][\w$]*/y;

class Parser {
  private pos = 0;
  private doc = '';
  private readonly text: string;
  private readonly source: string;

  constructor(text: string, source: string) {
    this.text = text;
    this.source = source;
  }

  file(): DeclarationFile {
    const imports = new Map<string, string>();
    const declarations: Declaration[] = [];
    for (this.skip(); this.pos < this.text.length; this.skip()) {
      if (this.eat('import')) this.importClause(imports);
      else if (this.eat('export')) declarations.push(this.declaration());
      else throw this.error('expected import or export');
    }
    return { imports, declarations };
  }

  private importClause(imports: Map<string, string>): void {
    this.expect('{');
    const names: string[] = [];
    do names.push(this.name()); while (this.eat(','));
    this.expect('}');
    this.expect('from');
    const from = this.stringLiteral();
    this.eat(';');
    for (const n of names) imports.set(n, from);
  }

  private declaration(): Declaration {
    const doc = this.takeDoc();
    if (this.eat('interface')) {
      const name = this.name();
      this.expect('{');
      const fields: FieldDecl[] = [];
      while (!this.eat('}')) fields.push(this.field());
      return { kind: 'interface', name, doc, fields };
    }
    if (this.eat('type')) {
      const name = this.name();
      this.expect('=');
      const type = this.type();
      this.eat(';');
      return { kind: 'alias', name, doc, type };
    }
    throw this.error('expected interface or type');
  }

  private field(): FieldDecl {
    const doc = this.takeDoc();
    this.eat('readonly');
    const name = this.name();
    const optional = this.eat('?');
    this.expect(':');
    const type = this.type();
    this.expect(';');
    return { name, doc, optional, type };
  }

  private type(): TypeExpr {
    const types = [this.primary()];
    while (this.eat('|')) types.push(this.primary());
    return types.length === 1 ? types[0]! : { kind: 'union', types };
  }

  private primary(): TypeExpr {
    this.skip();
    if (this.text[this.pos] === '"') return { kind: 'literal', value: this.stringLiteral() };
    if (this.eat('{')) {
      this.expect('[');
      this.name();
      this.expect(':');
      this.expect('string');
      this.expect(']');
      this.expect(':');
      const values = this.type();
      this.eat(';');
      this.expect('}');
      return { kind: 'map', values };
    }
    const name = this.name();
    if (name === 'Array') {
      this.expect('<');
      const items = this.type();
      this.expect('>');
      return { kind: 'array', items };
    }
    if (name === 'string' || name === 'number' || name === 'boolean') return { kind: 'primitive', name };
    return { kind: 'ref', name };
  }

  /** Skips blanks and comments, remembering the last doc comment for the next declaration. */
  private skip(): void {
    const t = this.text;
    for (;;) {
      while (this.pos < t.length && t.charCodeAt(this.pos) <= 32) this.pos++;
      if (t.startsWith('/**', this.pos)) {
        const end = t.indexOf('*/', this.pos + 3);
        if (end < 0) throw this.error('unterminated comment');
        this.doc = cleanDoc(t.slice(this.pos + 3, end));
        this.pos = end + 2;
      } else if (t.startsWith('//', this.pos)) {
        const end = t.indexOf('\n', this.pos);
        this.pos = end < 0 ? t.length : end;
      } else return;
    }
  }

  private takeDoc(): string {
    this.skip();
    const doc = this.doc;
    this.doc = '';
    return doc;
  }

  /** Consumes `token` if it comes next (a word must not continue into an identifier). */
  private eat(token: string): boolean {
    this.skip();
    if (!this.text.startsWith(token, this.pos)) return false;
    const after = this.text.charCodeAt(this.pos + token.length);
    if (/\w/.test(token) && isIdentifierChar(after)) return false;
    this.pos += token.length;
    return true;
  }

  private expect(token: string): void {
    if (!this.eat(token)) throw this.error(`expected "${token}"`);
  }

  private name(): string {
    this.skip();
    identifier.lastIndex = this.pos;
    const m = identifier.exec(this.text);
    if (!m) throw this.error('expected a name');
    this.pos += m[0].length;
    return m[0];
  }

  private stringLiteral(): string {
    this.skip();
    const quote = this.text[this.pos];
    if (quote !== '"' && quote !== "'") throw this.error('expected a string literal');
    const end = this.text.indexOf(quote, this.pos + 1);
    const value = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return value;
  }

  private error(message: string): Error {
    const line = this.text.slice(0, this.pos).split('\n').length;
    return new Error(`${this.source}:${line}: ${message} near ${JSON.stringify(this.text.slice(this.pos, this.pos + 30))}`);
  }
}

function isIdentifierChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36;
}

/** The comment body without its ` * ` margins; paragraphs keep their blank lines. */
function cleanDoc(body: string): string {
  return body
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, '').trimEnd())
    .join('\n')
    .replaceAll('*\\/', '*/')
    .trim();
}
