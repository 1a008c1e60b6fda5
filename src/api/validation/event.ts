// core/v1 Events, validated as kube-apiserver does for the v1 API (legacy rules only): the
// involved object's namespace must agree with the event's; new-style events (eventTime set) need
// a reporting controller, instance and action.
import type { Event } from 'kubernetes-types/core/v1.d.ts';
import { field, FieldPath, type FieldError } from './field.ts';
import { invalidEach, isDNS1123Subdomain, nameIsDNSSubdomain, validateQualifiedName } from './names.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.ts';

const reportingInstanceLimit = 128;
const actionLimit = 128;

function legacyValidateEvent(ev: Event): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.metadata?.namespace ?? '';
  const involvedNs = ev.involvedObject?.namespace ?? '';
  const nsPath = FieldPath.root('involvedObject').child('namespace');
  if (!ev.eventTime) {
    const agrees = involvedNs ? ns === involvedNs : ns === '' || ns === 'default';
    if (!agrees) errs.push(field.invalid(nsPath, involvedNs, 'does not match event.namespace'));
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') {
      errs.push(field.invalid(nsPath, involvedNs, 'does not match event.namespace'));
    }
    // The v1 API calls the reporting controller "source".
    const controller = ev.reportingComponent ?? '';
    if (!controller) errs.push(field.required(FieldPath.root('source')));
    errs.push(...validateQualifiedName(controller, FieldPath.root('source')));
    const instance = ev.reportingInstance ?? '';
    if (!instance) errs.push(field.required(FieldPath.root('reportingInstance')));
    if (instance.length > reportingInstanceLimit) {
      errs.push(field.invalid(FieldPath.root('reportingInstance'), '', `can have at most ${reportingInstanceLimit} characters`));
    }
    const action = ev.action ?? '';
    if (!action) errs.push(field.required(FieldPath.root('action')));
    if (action.length > actionLimit) errs.push(field.invalid(FieldPath.root('action'), '', `can have at most ${actionLimit} characters`));
  }
  errs.push(...invalidEach(FieldPath.root('namespace'), ns, isDNS1123Subdomain(ns)));
  return errs;
}

export function validateEvent(ev: Event): FieldError[] {
  return [...validateObjectMeta(ev.metadata, true, nameIsDNSSubdomain), ...legacyValidateEvent(ev)];
}

export function validateEventUpdate(ev: Event, old: Event): FieldError[] {
  return [...validateObjectMetaUpdate(ev.metadata, old.metadata), ...legacyValidateEvent(ev)];
}
