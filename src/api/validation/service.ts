// Services, the part peapod serves: DNS-1035 names, type, ports (named when several, unique
// names, valid numbers, protocol, targetPort), selector labels, and a clusterIP that never moves.
import type { Service } from 'kubernetes-types/core/v1.d.ts';
import { field, FieldPath, type FieldError } from './field.ts';
import { portProtocols } from './container.ts';
import { invalidEach, isValidPortNum, nameIsDNS1035Label, validateDNS1123Label } from './names.ts';
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.ts';
import { validatePortNumOrName } from './probes.ts';

const specPath = FieldPath.root('spec');
const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const affinities = ['ClientIP', 'None'];

function validateServiceSpec(svc: Service): FieldError[] {
  const spec = svc.spec ?? {};
  const errs: FieldError[] = [];
  const type = spec.type ?? '';
  if (!serviceTypes.includes(type)) errs.push(field.notSupported(specPath.child('type'), type, serviceTypes));
  const ports = spec.ports ?? [];
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(field.required(specPath.child('ports')));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = specPath.child('ports').index(i);
    if (ports.length > 1 && !port.name) errs.push(field.required(p.child('name')));
    else if (port.name) {
      errs.push(...validateDNS1123Label(port.name, p.child('name')));
      if (names.has(port.name)) errs.push(field.duplicate(p.child('name'), port.name));
      names.add(port.name);
    }
    errs.push(...invalidEach(p.child('port'), port.port, isValidPortNum(port.port)));
    if (!port.protocol) errs.push(field.required(p.child('protocol')));
    else if (!portProtocols.includes(port.protocol)) errs.push(field.notSupported(p.child('protocol'), port.protocol, portProtocols));
    errs.push(...validatePortNumOrName(port.targetPort, p.child('targetPort')));
  });
  errs.push(...validateLabels(spec.selector, specPath.child('selector')));
  const affinity = spec.sessionAffinity ?? '';
  if (!affinities.includes(affinity)) errs.push(field.notSupported(specPath.child('sessionAffinity'), affinity, affinities));
  return errs;
}

export function validateService(svc: Service): FieldError[] {
  return [...validateObjectMeta(svc.metadata, true, nameIsDNS1035Label), ...validateServiceSpec(svc)];
}

export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const errs = [...validateObjectMetaUpdate(svc.metadata, old.metadata), ...validateServiceSpec(svc)];
  const before = old.spec?.clusterIP;
  if (before && svc.spec?.clusterIP !== before && old.spec?.type !== 'ExternalName' && svc.spec?.type !== 'ExternalName') {
    errs.push(field.invalid(specPath.child('clusterIPs').index(0), svc.spec?.clusterIP ?? '', 'may not change once set'));
  }
  return errs;
}
