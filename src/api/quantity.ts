// Kubernetes resource.Quantity: a fixed-point number with a suffix ("100m", "1Gi", "1e3").
// Values are kept exactly as nano-units in a bigint; like Kubernetes, anything finer than 1n is
// rounded up (away from zero). The canonical form is what the API server writes back:
//   parse("1000m") → "1", parse("1536Mi") → "1536Mi", parse("1024Ki") → "1Mi", parse("0.5") → "500m".

export const quantityFormatError =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const quantitySuffixError = "unable to parse quantity's suffix";
export const quantityNumericError = 'unable to parse numeric part of quantity';

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const splitRE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalByExponent = new Map(Object.entries(decimalSuffixes).map(([s, e]) => [e, s]));
const binaryByExponent = new Map(Object.entries(binarySuffixes).map(([s, e]) => [e, s]));
const nano = 10n ** 9n;

export class QuantityError extends Error {}

export class Quantity {
  /** The value times 10^9. */
  readonly nanos: bigint;
  readonly format: QuantityFormat;

  constructor(nanos: bigint, format: QuantityFormat = 'DecimalSI') {
    this.nanos = nanos;
    this.format = format;
  }

  /** Parses Kubernetes' quantity syntax; throws QuantityError with Kubernetes' message. */
  static parse(text: string): Quantity {
    const m = splitRE.exec(text);
    if (!m) throw new QuantityError(quantityFormatError);
    const [, number, suffix] = m as unknown as [string, string, string];
    const { scale10, scale2, format } = parseSuffix(suffix);
    const digits = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(number);
    if (!digits || (digits[2] === '' && (digits[3] ?? '') === '')) throw new QuantityError(quantityNumericError);
    const sign = digits[1] === '-' ? -1n : 1n;
    const whole = digits[2] || '0';
    const frac = digits[3] ?? '';
    // value = int(whole+frac) * 10^(scale10 - len(frac)) * 2^scale2, kept as nanos (rounded up).
    const mantissa = BigInt(whole + frac) * 2n ** BigInt(scale2);
    const exp = scale10 - frac.length + 9;
    let nanos: bigint;
    if (exp >= 0) nanos = mantissa * 10n ** BigInt(exp);
    else {
      const div = 10n ** BigInt(-exp);
      nanos = mantissa / div + (mantissa % div === 0n ? 0n : 1n);
    }
    return new Quantity(sign * nanos, format);
  }

  /** Like parse, but undefined instead of an error. */
  static tryParse(text: unknown): Quantity | undefined {
    if (typeof text === 'number') text = String(text);
    if (typeof text !== 'string') return undefined;
    try {
      return Quantity.parse(text);
    } catch {
      return undefined;
    }
  }

  /** A quantity from an object's fields in thousandths (cpu); 0 when absent or not a quantity. */
  static milliOrZero(raw: unknown): number {
    return Quantity.tryParse(raw)?.milliValue() ?? 0;
  }

  /** A quantity from an object's fields as an integer (bytes, counts); 0 when absent or not a quantity. */
  static valueOrZero(raw: unknown): number {
    return Quantity.tryParse(raw)?.value() ?? 0;
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    return this.nanos < other.nanos ? -1 : this.nanos > other.nanos ? 1 : 0;
  }

  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.format);
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.nanos < 0n ? -1 : this.nanos > 0n ? 1 : 0;
  }

  /** The value in thousandths, rounded up as Kubernetes' MilliValue does. */
  milliValue(): number {
    return Number(ceilDiv(this.nanos, 10n ** 6n));
  }

  /** The integer value, rounded up as Kubernetes' Value does. */
  value(): number {
    return Number(ceilDiv(this.nanos, nano));
  }

  /** Canonical text, as Kubernetes serializes a quantity. */
  toString(): string {
    if (this.nanos === 0n) return '0';
    const sign = this.nanos < 0n ? '-' : '';
    const abs = this.nanos < 0n ? -this.nanos : this.nanos;
    let format = this.format;
    // Small or fractional binary quantities read better (and exactly) in decimal.
    if (format === 'BinarySI' && (abs < 1024n * nano || abs % nano !== 0n)) format = 'DecimalSI';
    if (format === 'BinarySI') return sign + binaryString(abs / nano);
    return sign + decimalString(abs, format);
  }

  toJSON(): string {
    return this.toString();
  }
}

function parseSuffix(suffix: string): { scale10: number; scale2: number; format: QuantityFormat } {
  if (suffix in decimalSuffixes) return { scale10: decimalSuffixes[suffix]!, scale2: 0, format: 'DecimalSI' };
  if (suffix in binarySuffixes) return { scale10: 0, scale2: binarySuffixes[suffix]!, format: 'BinarySI' };
  const e = /^[eE]([-+]?\d+)$/.exec(suffix);
  if (e) return { scale10: Number(e[1]), scale2: 0, format: 'DecimalExponent' };
  throw new QuantityError(quantitySuffixError);
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b > 0n ? q + 1n : q;
}

/** mantissa × 10^exponent with the exponent a multiple of 3 and the mantissa as small as exact. */
function decimalString(nanos: bigint, format: QuantityFormat): string {
  let mantissa = nanos;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  const down = ((exponent % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(down);
  exponent -= down;
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  while (exponent > 18) {
    mantissa *= 1000n;
    exponent -= 3;
  }
  return `${mantissa}${decimalByExponent.get(exponent)}`;
}

function binaryString(units: bigint): string {
  let exponent = 0;
  while (units % 1024n === 0n && exponent < 60) {
    units /= 1024n;
    exponent += 10;
  }
  return `${units}${binaryByExponent.get(exponent) ?? ''}`;
}

/** Canonical text of a quantity string, or the input unchanged when it does not parse. */
export function canonicalQuantity(text: string): string {
  return Quantity.tryParse(text)?.toString() ?? text;
}
