// Sets of field paths as structured-merge-diff keeps them for field ownership, and their
// FieldsV1 wire form (metadata.managedFields[].fieldsV1):
//
//   {"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:image":{}}}}}
//
// A set is a tree: at each level "members" are paths that end here, "children" lead deeper.
// f:<field>  k:<key fields of a keyed list item>  v:<set item>  i:<index>;  "." marks a child
// that is itself a member. Keys are written in structured-merge-diff's order.

export type PathElement =
  | { field: string }
  | { key: [string, unknown][] }
  | { value: unknown }
  | { index: number };

export type Path = readonly PathElement[];

/** The FieldsV1 key of a path element: f:name, k:{"name":"app"}, v:"x", i:0. */
export function serializeElement(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`;
  if ('key' in pe) return `k:{${pe.key.map(([n, v]) => `${JSON.stringify(n)}:${JSON.stringify(v)}`).join(',')}}`;
  if ('value' in pe) return `v:${JSON.stringify(pe.value)}`;
  return `i:${pe.index}`;
}

export function parseElement(s: string): PathElement {
  const body = s.slice(2);
  switch (s.slice(0, 2)) {
    case 'f:':
      return { field: body };
    case 'k:':
      return { key: Object.entries(JSON.parse(body) as Record<string, unknown>).sort(([a], [b]) => compareStrings(a, b)) };
    case 'v:':
      return { value: JSON.parse(body) };
    case 'i:':
      return { index: Number(body) };
    default:
      throw new Error(`unknown path element ${JSON.stringify(s)}`);
  }
}

/** The element as conflict messages print it: .image, [name="app"], [="x"], [0]. */
export function elementString(pe: PathElement): string {
  if ('field' in pe) return `.${pe.field}`;
  if ('key' in pe) return `[${pe.key.map(([n, v]) => `${n}=${valueString(v)}`).join(',')}]`;
  if ('value' in pe) return `[=${valueString(pe.value)}]`;
  return `[${pe.index}]`;
}

export function pathString(path: Path): string {
  return path.map(elementString).join('');
}

function valueString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(',')}]`;
  if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}=${valueString(x)}`).join('');
  return String(v);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** structured-merge-diff's value order: numbers, strings, booleans, then the rest. */
function compareValues(a: unknown, b: unknown): number {
  const rank = (v: unknown) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : 3);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return (a as number) - (b as number);
  if (ra === 1) return compareStrings(a as string, b as string);
  if (ra === 2) return Number(a) - Number(b);
  return compareStrings(JSON.stringify(a), JSON.stringify(b));
}

/** PathElement.Compare: field names < keys < values < indices. */
export function compareElements(a: PathElement, b: PathElement): number {
  const kind = (pe: PathElement) => ('field' in pe ? 0 : 'key' in pe ? 1 : 'value' in pe ? 2 : 3);
  if (kind(a) !== kind(b)) return kind(a) - kind(b);
  if ('field' in a && 'field' in b) return compareStrings(a.field, b.field);
  if ('value' in a && 'value' in b) return compareValues(a.value, b.value);
  if ('index' in a && 'index' in b) return a.index - b.index;
  const ka = (a as { key: [string, unknown][] }).key;
  const kb = (b as { key: [string, unknown][] }).key;
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const c = compareStrings(ka[i]![0], kb[i]![0]) || compareValues(ka[i]![1], kb[i]![1]);
    if (c !== 0) return c;
  }
  return ka.length - kb.length;
}

interface Child {
  pe: PathElement;
  set: FieldSet;
}

export class FieldSet {
  private readonly members = new Map<string, PathElement>();
  private readonly children = new Map<string, Child>();

  insert(path: Path): void {
    if (path.length === 0) return;
    const [first, ...rest] = path as PathElement[];
    const id = serializeElement(first!);
    if (rest.length === 0) {
      this.members.set(id, first!);
      return;
    }
    let child = this.children.get(id);
    if (!child) {
      child = { pe: first!, set: new FieldSet() };
      this.children.set(id, child);
    }
    child.set.insert(rest);
  }

  /** Whether the path is a member (owned as a whole). */
  has(path: Path): boolean {
    const parent = this.at(path.slice(0, -1));
    return Boolean(parent && path.length > 0 && parent.members.has(serializeElement(path[path.length - 1]!)));
  }

  /** The subtree below `path`, if the set has anything there. */
  at(path: Path): FieldSet | undefined {
    let s: FieldSet | undefined = this;
    for (const pe of path) {
      s = s.children.get(serializeElement(pe))?.set;
      if (!s) return undefined;
    }
    return s;
  }

  empty(): boolean {
    return this.members.size === 0 && [...this.children.values()].every((c) => c.set.empty());
  }

  union(other: FieldSet): FieldSet {
    return this.combine(other, (a, b) => a || b);
  }

  difference(other: FieldSet): FieldSet {
    return this.combine(other, (a, b) => a && !b);
  }

  intersection(other: FieldSet): FieldSet {
    return this.combine(other, (a, b) => a && b);
  }

  /** Member-wise and child-wise combination, as structured-merge-diff's set algebra does it. */
  private combine(other: FieldSet, keep: (inThis: boolean, inOther: boolean) => boolean): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of [...this.members, ...other.members]) {
      if (keep(this.members.has(id), other.members.has(id))) out.members.set(id, pe);
    }
    for (const [id, c] of [...this.children, ...other.children]) {
      if (out.children.has(id)) continue;
      const mine = this.children.get(id)?.set ?? new FieldSet();
      const theirs = other.children.get(id)?.set ?? new FieldSet();
      const set = mine.combine(theirs, keep);
      if (!set.empty()) out.children.set(id, { pe: c.pe, set });
    }
    return out;
  }

  /** Drops every path under (or at) one of `prefixes`. */
  without(prefixes: readonly Path[]): FieldSet {
    const out = this.union(new FieldSet());
    for (const prefix of prefixes) {
      const parent = out.at(prefix.slice(0, -1));
      const id = serializeElement(prefix[prefix.length - 1]!);
      parent?.members.delete(id);
      parent?.children.delete(id);
    }
    return out;
  }

  /** All member paths: this level's members first, then each child's, in sorted order. */
  paths(prefix: Path = []): PathElement[][] {
    const out: PathElement[][] = sorted(this.members).map(([, pe]) => [...prefix, pe]);
    const children = [...this.children.values()].sort((a, b) => compareElements(a.pe, b.pe));
    for (const c of children) out.push(...c.set.paths([...prefix, c.pe]));
    return out;
  }

  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const ids = new Map<string, PathElement>([...this.members, ...[...this.children].map(([id, c]) => [id, c.pe] as [string, PathElement])]);
    for (const [id] of sorted(ids)) {
      const child = this.children.get(id);
      if (!child || child.set.empty()) {
        out[id] = {};
        continue;
      }
      const inner = child.set.toFieldsV1();
      out[id] = this.members.has(id) ? { '.': {}, ...inner } : inner;
    }
    return out;
  }

  static fromFieldsV1(fields: unknown): FieldSet {
    const set = new FieldSet();
    if (typeof fields !== 'object' || fields === null) return set;
    for (const [id, value] of Object.entries(fields)) {
      if (id === '.') continue;
      const pe = parseElement(id);
      const entries = typeof value === 'object' && value !== null ? Object.keys(value) : [];
      // An empty object, or one holding ".", makes the element a member.
      if (entries.length === 0 || entries.includes('.')) set.members.set(id, pe);
      const child = FieldSet.fromFieldsV1(value);
      if (!child.empty()) set.children.set(id, { pe, set: child });
    }
    return set;
  }
}

function sorted(m: Map<string, PathElement>): [string, PathElement][] {
  return [...m].sort(([, a], [, b]) => compareElements(a, b));
}
