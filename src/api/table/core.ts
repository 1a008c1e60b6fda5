// Tables of the small core kinds: Namespace, ConfigMap, Secret, ServiceAccount, Service, and
// coordination's Lease.
import type { ConfigMap, Namespace, Secret, Service, ServiceAccount, ServicePort } from 'kubernetes-types/core/v1.d.ts';
import type { Lease } from 'kubernetes-types/coordination/v1.d.ts';
import type { KubeObject } from '../registry/object.ts';
import { formatLabels } from '../selectors/labelselector.ts';
import { ageColumn, column, nameColumn, wide } from './columns.ts';
import { translateTimestampSince } from './duration.ts';
import type { Cell, PrintedRow, Printer, TableColumnDefinition } from './types.ts';

/** A printer whose rows are name, some cells, age, then wide cells. */
function simple<T>(columns: TableColumnDefinition[], cells: (obj: T) => { main: Cell[]; wide?: Cell[] }): Printer {
  return {
    columns,
    print: (obj: KubeObject, now: Date): PrintedRow => {
      const { main, wide: extra = [] } = cells(obj as T);
      return { cells: [obj.metadata?.name ?? '', ...main, translateTimestampSince(obj.metadata?.creationTimestamp, now), ...extra] };
    },
  };
}

export const namespacePrinter = simple<Namespace>(
  [nameColumn, column('Status', 'The status of the namespace'), ageColumn],
  (ns) => ({ main: [ns.status?.phase ?? ''] }),
);

export const configMapPrinter = simple<ConfigMap>(
  [nameColumn, column('Data', "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."), ageColumn],
  (cm) => ({ main: [Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length] }),
);

export const secretPrinter = simple<Secret>(
  [
    nameColumn,
    column('Type', 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'),
    column('Data', "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
    ageColumn,
  ],
  (s) => ({ main: [s.type ?? '', Object.keys(s.data ?? {}).length] }),
);

export const serviceAccountPrinter = simple<ServiceAccount>(
  [nameColumn, column('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret'), ageColumn],
  (sa) => ({ main: [(sa.secrets ?? []).length] }),
);

export const leasePrinter = simple<Lease>(
  [nameColumn, column('Holder', 'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.'), ageColumn],
  (l) => ({ main: [l.spec?.holderIdentity ?? '<none>'] }),
);

/** "80/TCP", or "80:30080/TCP" with a node port. */
function ports(list: readonly ServicePort[] | undefined): string {
  const text = (list ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`)).join(',');
  return text || '<none>';
}

/** The server prints wide, so load balancer addresses are never clipped. */
function externalIP(svc: Service): string {
  const external = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = [...new Set((svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean))].sort();
      if (external.length) return [...lb, ...external].join(',');
      return lb.length ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

export const servicePrinter = simple<Service>(
  [
    nameColumn,
    column('Type', 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is "None", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. "NodePort" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. "ExternalName" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types'),
    column('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies'),
    column('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.'),
    column('Port(s)', 'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies'),
    ageColumn,
    column('Selector', 'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/', wide),
  ],
  (svc) => ({
    main: [svc.spec?.type ?? '', svc.spec?.clusterIPs?.[0] ?? '<none>', externalIP(svc), ports(svc.spec?.ports)],
    wide: [formatLabels(svc.spec?.selector)],
  }),
);
