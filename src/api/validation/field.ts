// Field errors as Kubernetes reports them (apimachinery util/validation/field): a path such as
// spec.containers[0].name, a type, the bad value and a detail. The API boundary turns a list of
// them into a 422 Invalid Status whose details.causes kubectl prints one per line.

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const typeText: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Types whose message never shows the value. */
const valueless = new Set<FieldErrorType>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError']);

const omit = Symbol('omit value');

export class FieldError {
  readonly type: FieldErrorType;
  readonly field: string;
  readonly value: unknown;
  readonly detail: string;

  constructor(type: FieldErrorType, field: FieldPath | string, value: unknown, detail = '') {
    this.type = type;
    this.field = String(field);
    this.value = value;
    this.detail = detail;
  }

  /** The message without the field, exactly as Kubernetes' ErrorBody() prints it. */
  body(): string {
    let s = typeText[this.type];
    if (!valueless.has(this.type) && this.value !== omit) s += `: ${formatValue(this.value)}`;
    if (this.detail) s += `: ${this.detail}`;
    return s;
  }

  toString(): string {
    return `${this.field}: ${this.body()}`;
  }
}

/** Go's %q for strings, %v for numbers and booleans, "null" for nothing, JSON for the rest. */
function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** An immutable field path: root('spec').child('containers').index(0).child('name'). */
export class FieldPath {
  private readonly text: string;
  private constructor(text: string) {
    this.text = text;
  }
  static root(name: string): FieldPath {
    return new FieldPath(name);
  }
  child(name: string, ...more: string[]): FieldPath {
    let text = this.text ? `${this.text}.${name}` : name;
    for (const m of more) text += `.${m}`;
    return new FieldPath(text);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }
  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }
  toString(): string {
    return this.text;
  }
}

export const field = {
  required: (path: FieldPath | string, detail = '') => new FieldError('FieldValueRequired', path, omit, detail),
  invalid: (path: FieldPath | string, value: unknown, detail = '') => new FieldError('FieldValueInvalid', path, value, detail),
  duplicate: (path: FieldPath | string, value: unknown) => new FieldError('FieldValueDuplicate', path, value),
  notFound: (path: FieldPath | string, value: unknown) => new FieldError('FieldValueNotFound', path, value),
  forbidden: (path: FieldPath | string, detail: string) => new FieldError('FieldValueForbidden', path, omit, detail),
  tooLong: (path: FieldPath | string, max: number) =>
    new FieldError('FieldValueTooLong', path, omit, `may not be more than ${max} bytes`),
  tooMany: (path: FieldPath | string, actual: number, max: number) =>
    new FieldError('FieldValueTooMany', path, actual, `must have at most ${max} items`),
  notSupported: (path: FieldPath | string, value: unknown, supported: readonly string[]) =>
    new FieldError(
      'FieldValueNotSupported',
      path,
      value,
      supported.length ? `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}` : '',
    ),
  typeInvalid: (path: FieldPath | string, value: unknown, detail: string) =>
    new FieldError('FieldValueTypeInvalid', path, value, detail),
  internal: (path: FieldPath | string, err: Error) => new FieldError('InternalError', path, omit, err.message),
};
