// Container resources: standard or extended names, valid non-negative quantities, integers for
// extended resources, requests ≤ limits (equal for resources that cannot be overcommitted).
import type { ResourceRequirements } from 'kubernetes-types/core/v1.d.ts';
import { field, type FieldError, type FieldPath } from './field.ts';
import { invalidEach, isQualifiedName } from './names.ts';
import { isNegativeErrorMsg } from './objectmeta.ts';
import { Quantity, QuantityError } from '../quantity.ts';

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);
const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
const isNative = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');
const isExtended = (name: string): boolean => !isNative(name) && !name.startsWith('requests.');
/** Extended resources and hugepages can only be requested as much as they are limited. */
const overcommitAllowed = (name: string): boolean => isNative(name) && !isHugePages(name);

function validateResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = invalidEach(path, name, isQualifiedName(name));
  if (errs.length) return errs;
  if (!name.includes('/')) {
    if (!standardContainerResources.has(name) && !isHugePages(name)) {
      return [field.invalid(path, name, 'must be a standard resource for containers')];
    }
  } else if (!isNative(name) && !isExtended(name)) {
    return [field.invalid(path, name, "doesn't follow extended resource name standard")];
  }
  return [];
}

/** Parses a quantity of a resource list, or the error a malformed one gets. */
export function parseQuantity(value: unknown, path: FieldPath): Quantity | FieldError {
  try {
    return Quantity.parse(typeof value === 'number' ? String(value) : String(value ?? ''));
  } catch (err) {
    return field.invalid(path, value, err instanceof QuantityError ? err.message : String(err));
  }
}

function validateQuantity(name: string, q: Quantity, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (q.sign() < 0) errs.push(field.invalid(path, q.toString(), isNegativeErrorMsg));
  if (isExtended(name) && q.milliValue() % 1000 !== 0) errs.push(field.invalid(path, q.toString(), 'must be an integer'));
  return errs;
}

export function validateResourceRequirements(req: ResourceRequirements | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = path.child('limits');
  const reqPath = path.child('requests');
  const limits = new Map<string, Quantity>();
  let cpuOrMemory = false;
  let hugePages = false;
  const scan = (list: Record<string, string> | undefined, base: FieldPath, into?: Map<string, Quantity>): [string, Quantity][] => {
    const out: [string, Quantity][] = [];
    for (const [name, raw] of Object.entries(list ?? {})) {
      const p = base.key(name);
      errs.push(...validateResourceName(name, p));
      const q = parseQuantity(raw, p);
      if (!(q instanceof Quantity)) {
        errs.push(q);
        continue;
      }
      errs.push(...validateQuantity(name, q, p));
      if (isHugePages(name)) hugePages = true;
      if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
      into?.set(name, q);
      out.push([name, q]);
    }
    return out;
  };
  scan(req?.limits, limPath, limits);
  for (const [name, q] of scan(req?.requests, reqPath)) {
    const limit = limits.get(name);
    if (limit) {
      if (q.cmp(limit) !== 0 && !overcommitAllowed(name)) {
        errs.push(field.invalid(reqPath, q.toString(), `must be equal to ${name} limit of ${limit.toString()}`));
      } else if (q.cmp(limit) > 0) {
        errs.push(field.invalid(reqPath, q.toString(), `must be less than or equal to ${name} limit of ${limit.toString()}`));
      }
    } else if (!overcommitAllowed(name)) {
      errs.push(field.required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  if (hugePages && !cpuOrMemory) errs.push(field.forbidden(path, 'HugePages require cpu or memory'));
  return errs;
}
