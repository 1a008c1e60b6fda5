// Nodes: a DNS subdomain name, taints, pod CIDRs (settable once), resource quantities in status.
import type { Node } from 'kubernetes-types/core/v1.d.ts';
import { field, FieldPath, type FieldError } from './field.ts';
import { nameIsDNSSubdomain } from './names.ts';
import { isNegativeErrorMsg, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.ts';
import { parseQuantity } from './resources.ts';
import { validateTaints } from './taints.ts';
import { Quantity } from '../quantity.ts';

const specPath = FieldPath.root('spec');

function isCIDR(value: string): boolean {
  const m = /^(.+)\/(\d{1,3})$/.exec(value);
  if (!m) return false;
  const bits = Number(m[2]);
  if (m[1]!.includes(':')) return bits <= 128 && /^[0-9a-fA-F:]+$/.test(m[1]!);
  const octets = m[1]!.split('.');
  return bits <= 32 && octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

function validateResourceList(list: Record<string, string> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, raw] of Object.entries(list ?? {})) {
    const q = parseQuantity(raw, path.key(name));
    if (!(q instanceof Quantity)) errs.push(q);
    else if (q.sign() < 0) errs.push(field.invalid(path.key(name), q.toString(), isNegativeErrorMsg));
  }
  return errs;
}

function validateNodeFields(node: Node): FieldError[] {
  const errs = validateTaints(node.spec?.taints, specPath.child('taints'));
  const cidrs = node.spec?.podCIDRs ?? [];
  cidrs.forEach((c, i) => {
    if (!isCIDR(c)) errs.push(field.invalid(specPath.child('podCIDRs').index(i), c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  });
  if (node.spec?.podCIDR && cidrs.length && cidrs[0] !== node.spec.podCIDR) {
    errs.push(field.invalid(specPath.child('podCIDRs'), cidrs, 'first entry must match podCIDR'));
  }
  const status = FieldPath.root('status');
  errs.push(...validateResourceList(node.status?.capacity, status.child('capacity')));
  errs.push(...validateResourceList(node.status?.allocatable, status.child('allocatable')));
  return errs;
}

export function validateNode(node: Node): FieldError[] {
  return [...validateObjectMeta(node.metadata, false, nameIsDNSSubdomain), ...validateNodeFields(node)];
}

/** Also serves status updates: the spec fields only move from unset to set. */
export function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errs = [...validateObjectMetaUpdate(node.metadata, old.metadata), ...validateNodeFields(node)];
  const oldCIDRs = old.spec?.podCIDRs ?? [];
  const cidrs = node.spec?.podCIDRs ?? [];
  if (oldCIDRs.length && (oldCIDRs.length !== cidrs.length || oldCIDRs.some((c, i) => c !== cidrs[i]))) {
    errs.push(field.forbidden(specPath.child('podCIDRs'), 'node updates may not change podCIDR except from "" to valid'));
  }
  if (old.spec?.providerID && node.spec?.providerID !== old.spec.providerID) {
    errs.push(field.forbidden(specPath.child('providerID'), 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}
