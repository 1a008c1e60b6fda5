// What Kubernetes' OpenAPI carries beyond the kubernetes-types declarations: strategic merge
// patch keys and strategies, list and map types, and the int64/double number formats. The
// entries follow the Go struct tags and markers of k8s.io/api and k8s.io/apimachinery v1.32
// (inlined structs such as ProbeHandler and VolumeSource folded into their embedding type).

export interface FieldExtras {
  /** x-kubernetes-patch-strategy */
  strategy?: string;
  /** x-kubernetes-patch-merge-key */
  mergeKey?: string;
  /** x-kubernetes-list-type */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys */
  mapKeys?: string[];
  /** x-kubernetes-map-type */
  mapType?: 'atomic' | 'granular';
  /** Number format when not int32. */
  format?: 'int64' | 'double';
}

/** Definition name → field name → extras. */
export const fieldExtras: Readonly<Record<string, Readonly<Record<string, FieldExtras>>>> = {
  'io.k8s.api.apps.v1.ControllerRevision': {
    revision: { format: 'int64' },
  },
  'io.k8s.api.apps.v1.DaemonSetStatus': {
    observedGeneration: { format: 'int64' },
    conditions: { strategy: 'merge', mergeKey: 'type', listType: 'map', mapKeys: ['type'] },
  },
  'io.k8s.api.apps.v1.DeploymentSpec': {
    strategy: { strategy: 'retainKeys' },
  },
  'io.k8s.api.apps.v1.DeploymentStatus': {
    observedGeneration: { format: 'int64' },
    conditions: { strategy: 'merge', mergeKey: 'type', listType: 'map', mapKeys: ['type'] },
  },
  'io.k8s.api.apps.v1.ReplicaSetStatus': {
    observedGeneration: { format: 'int64' },
    conditions: { strategy: 'merge', mergeKey: 'type', listType: 'map', mapKeys: ['type'] },
  },
  'io.k8s.api.apps.v1.StatefulSetSpec': {
    volumeClaimTemplates: { listType: 'atomic' },
  },
  'io.k8s.api.apps.v1.StatefulSetStatus': {
    observedGeneration: { format: 'int64' },
    conditions: { strategy: 'merge', mergeKey: 'type', listType: 'map', mapKeys: ['type'] },
  },
  'io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerStatus': {
    observedGeneration: { format: 'int64' },
  },
  'io.k8s.api.core.v1.AvoidPods': {
    preferAvoidPods: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.Capabilities': {
    add: { listType: 'atomic' },
    drop: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.CephFSPersistentVolumeSource': {
    monitors: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.CephFSVolumeSource': {
    monitors: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.ComponentStatus': {
    conditions: { strategy: 'merge', mergeKey: 'type', listType: 'map', mapKeys: ['type'] },
  },
  'io.k8s.api.core.v1.ConfigMapProjection': {
    items: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.ConfigMapVolumeSource': {
    items: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.Container': {
    command: { listType: 'atomic' },
    args: { listType: 'atomic' },
    ports: { strategy: 'merge', mergeKey: 'containerPort', listType: 'map', mapKeys: ['containerPort', 'protocol'] },
    envFrom: { listType: 'atomic' },
    env: { strategy: 'merge', mergeKey: 'name', listType: 'map', mapKeys: ['name'] },
    resizePolicy: { listType: 'atomic' },
    volumeMounts: { strategy: 'merge', mergeKey: 'mountPath', listType: 'map', mapKeys: ['mountPath'] },
    volumeDevices: { strategy: 'merge', mergeKey: 'devicePath', listType: 'map', mapKeys: ['devicePath'] },
  },
  'io.k8s.api.core.v1.ContainerImage': {
    names: { listType: 'atomic' },
    sizeBytes: { format: 'int64' },
  },
  'io.k8s.api.core.v1.ContainerStatus': {
    volumeMounts: { strategy: 'merge', mergeKey: 'mountPath', listType: 'map', mapKeys: ['mountPath'] },
    allocatedResourcesStatus: { strategy: 'merge', mergeKey: 'name', listType: 'map', mapKeys: ['name'] },
  },
  'io.k8s.api.core.v1.DownwardAPIProjection': {
    items: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.DownwardAPIVolumeSource': {
    items: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.EndpointSubset': {
    addresses: { listType: 'atomic' },
    notReadyAddresses: { listType: 'atomic' },
    ports: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.Endpoints': {
    subsets: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.EphemeralContainer': {
    command: { listType: 'atomic' },
    args: { listType: 'atomic' },
    ports: { strategy: 'merge', mergeKey: 'containerPort', listType: 'map', mapKeys: ['containerPort', 'protocol'] },
    envFrom: { listType: 'atomic' },
    env: { strategy: 'merge', mergeKey: 'name', listType: 'map', mapKeys: ['name'] },
    resizePolicy: { listType: 'atomic' },
    volumeMounts: { strategy: 'merge', mergeKey: 'mountPath', listType: 'map', mapKeys: ['mountPath'] },
    volumeDevices: { strategy: 'merge', mergeKey: 'devicePath', listType: 'map', mapKeys: ['devicePath'] },
  },
  'io.k8s.api.core.v1.EphemeralContainerCommon': {
    command: { listType: 'atomic' },
    args: { listType: 'atomic' },
    ports: { strategy: 'merge', mergeKey: 'containerPort', listType: 'map', mapKeys: ['containerPort', 'protocol'] },
    envFrom: { listType: 'atomic' },
    env: { strategy: 'merge', mergeKey: 'name', listType: 'map', mapKeys: ['name'] },
    resizePolicy: { listType: 'atomic' },
    volumeMounts: { strategy: 'merge', mergeKey: 'mountPath', listType: 'map', mapKeys: ['mountPath'] },
    volumeDevices: { strategy: 'merge', mergeKey: 'devicePath', listType: 'map', mapKeys: ['devicePath'] },
  },
  'io.k8s.api.core.v1.ExecAction': {
    command: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.FCVolumeSource': {
    targetWWNs: { listType: 'atomic' },
    wwids: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.HTTPGetAction': {
    httpHeaders: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.HostAlias': {
    hostnames: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.ISCSIPersistentVolumeSource': {
    portals: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.ISCSIVolumeSource': {
    portals: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.LimitRangeSpec': {
    limits: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.LinuxContainerUser': {
    uid: { format: 'int64' },
    gid: { format: 'int64' },
    supplementalGroups: { listType: 'atomic', format: 'int64' },
  },
  'io.k8s.api.core.v1.LoadBalancerIngress': {
    ports: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.LoadBalancerStatus': {
    ingress: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.NamespaceSpec': {
    finalizers: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.NamespaceStatus': {
    conditions: { strategy: 'merge', mergeKey: 'type', listType: 'map', mapKeys: ['type'] },
  },
  'io.k8s.api.core.v1.NodeAffinity': {
    preferredDuringSchedulingIgnoredDuringExecution: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.NodeSelector': {
    nodeSelectorTerms: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.NodeSelectorRequirement': {
    values: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.NodeSelectorTerm': {
    matchExpressions: { listType: 'atomic' },
    matchFields: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.NodeSpec': {
    podCIDRs: { strategy: 'merge', listType: 'set' },
    taints: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.NodeStatus': {
    conditions: { strategy: 'merge', mergeKey: 'type', listType: 'map', mapKeys: ['type'] },
    addresses: { strategy: 'merge', mergeKey: 'type', listType: 'map', mapKeys: ['type'] },
    images: { listType: 'atomic' },
    volumesInUse: { listType: 'atomic' },
    volumesAttached: { listType: 'atomic' },
    runtimeHandlers: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': {
    accessModes: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimStatus': {
    accessModes: { listType: 'atomic' },
    conditions: { strategy: 'merge', mergeKey: 'type', listType: 'map', mapKeys: ['type'] },
    allocatedResourceStatuses: { mapType: 'granular' },
  },
  'io.k8s.api.core.v1.PersistentVolumeSpec': {
    accessModes: { listType: 'atomic' },
    mountOptions: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.PodAffinity': {
    requiredDuringSchedulingIgnoredDuringExecution: { listType: 'atomic' },
    preferredDuringSchedulingIgnoredDuringExecution: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.PodAffinityTerm': {
    namespaces: { listType: 'atomic' },
    matchLabelKeys: { listType: 'atomic' },
    mismatchLabelKeys: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.PodAntiAffinity': {
    requiredDuringSchedulingIgnoredDuringExecution: { listType: 'atomic' },
    preferredDuringSchedulingIgnoredDuringExecution: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.PodDNSConfig': {
    nameservers: { listType: 'atomic' },
    searches: { listType: 'atomic' },
    options: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.PodExecOptions': {
    command: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.PodLogOptions': {
    sinceSeconds: { format: 'int64' },
    tailLines: { format: 'int64' },
    limitBytes: { format: 'int64' },
  },
  'io.k8s.api.core.v1.PodPortForwardOptions': {
    ports: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.PodSecurityContext': {
    runAsUser: { format: 'int64' },
    runAsGroup: { format: 'int64' },
    supplementalGroups: { listType: 'atomic', format: 'int64' },
    fsGroup: { format: 'int64' },
    sysctls: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.PodSpec': {
    volumes: { strategy: 'merge,retainKeys', mergeKey: 'name', listType: 'map', mapKeys: ['name'] },
    initContainers: { strategy: 'merge', mergeKey: 'name', listType: 'map', mapKeys: ['name'] },
    containers: { strategy: 'merge', mergeKey: 'name', listType: 'map', mapKeys: ['name'] },
    ephemeralContainers: { strategy: 'merge', mergeKey: 'name', listType: 'map', mapKeys: ['name'] },
    terminationGracePeriodSeconds: { format: 'int64' },
    activeDeadlineSeconds: { format: 'int64' },
    nodeSelector: { mapType: 'atomic' },
    imagePullSecrets: { strategy: 'merge', mergeKey: 'name', listType: 'map', mapKeys: ['name'] },
    tolerations: { listType: 'atomic' },
    hostAliases: { strategy: 'merge', mergeKey: 'ip', listType: 'map', mapKeys: ['ip'] },
    readinessGates: { listType: 'atomic' },
    topologySpreadConstraints: { strategy: 'merge', mergeKey: 'topologyKey', listType: 'map', mapKeys: ['topologyKey', 'whenUnsatisfiable'] },
    schedulingGates: { strategy: 'merge', mergeKey: 'name', listType: 'map', mapKeys: ['name'] },
    resourceClaims: { strategy: 'merge,retainKeys', mergeKey: 'name', listType: 'map', mapKeys: ['name'] },
  },
  'io.k8s.api.core.v1.PodStatus': {
    conditions: { strategy: 'merge', mergeKey: 'type', listType: 'map', mapKeys: ['type'] },
    hostIPs: { strategy: 'merge', mergeKey: 'ip', listType: 'atomic' },
    podIPs: { strategy: 'merge', mergeKey: 'ip', listType: 'map', mapKeys: ['ip'] },
    initContainerStatuses: { listType: 'atomic' },
    containerStatuses: { listType: 'atomic' },
    ephemeralContainerStatuses: { listType: 'atomic' },
    resourceClaimStatuses: { strategy: 'merge,retainKeys', mergeKey: 'name', listType: 'map', mapKeys: ['name'] },
  },
  'io.k8s.api.core.v1.Probe': {
    terminationGracePeriodSeconds: { format: 'int64' },
  },
  'io.k8s.api.core.v1.ProjectedVolumeSource': {
    sources: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.RBDPersistentVolumeSource': {
    monitors: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.RBDVolumeSource': {
    monitors: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.ReplicationControllerSpec': {
    selector: { mapType: 'atomic' },
  },
  'io.k8s.api.core.v1.ReplicationControllerStatus': {
    observedGeneration: { format: 'int64' },
    conditions: { strategy: 'merge', mergeKey: 'type', listType: 'map', mapKeys: ['type'] },
  },
  'io.k8s.api.core.v1.ResourceQuotaSpec': {
    scopes: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.ResourceRequirements': {
    claims: { listType: 'map', mapKeys: ['name'] },
  },
  'io.k8s.api.core.v1.ResourceStatus': {
    resources: { listType: 'map', mapKeys: ['resourceID'] },
  },
  'io.k8s.api.core.v1.ScopeSelector': {
    matchExpressions: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.ScopedResourceSelectorRequirement': {
    values: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.SecretProjection': {
    items: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.SecretVolumeSource': {
    items: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.SecurityContext': {
    runAsUser: { format: 'int64' },
    runAsGroup: { format: 'int64' },
  },
  'io.k8s.api.core.v1.ServiceAccount': {
    secrets: { strategy: 'merge', mergeKey: 'name', listType: 'map', mapKeys: ['name'] },
    imagePullSecrets: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.ServiceAccountTokenProjection': {
    expirationSeconds: { format: 'int64' },
  },
  'io.k8s.api.core.v1.ServiceSpec': {
    ports: { strategy: 'merge', mergeKey: 'port', listType: 'map', mapKeys: ['port', 'protocol'] },
    selector: { mapType: 'atomic' },
    clusterIPs: { listType: 'atomic' },
    externalIPs: { listType: 'atomic' },
    loadBalancerSourceRanges: { listType: 'atomic' },
    ipFamilies: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.ServiceStatus': {
    conditions: { strategy: 'merge', mergeKey: 'type', listType: 'map', mapKeys: ['type'] },
  },
  'io.k8s.api.core.v1.SleepAction': {
    seconds: { format: 'int64' },
  },
  'io.k8s.api.core.v1.Toleration': {
    tolerationSeconds: { format: 'int64' },
  },
  'io.k8s.api.core.v1.TopologySelectorLabelRequirement': {
    values: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.TopologySelectorTerm': {
    matchLabelExpressions: { listType: 'atomic' },
  },
  'io.k8s.api.core.v1.TopologySpreadConstraint': {
    matchLabelKeys: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup': {
    versions: { listType: 'atomic' },
    serverAddressByClientCIDRs: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIGroupList': {
    groups: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIResource': {
    shortNames: { listType: 'atomic' },
    categories: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList': {
    resources: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIVersions': {
    versions: { listType: 'atomic' },
    serverAddressByClientCIDRs: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ApplyOptions': {
    dryRun: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Condition': {
    observedGeneration: { format: 'int64' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.CreateOptions': {
    dryRun: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions': {
    gracePeriodSeconds: { format: 'int64' },
    dryRun: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement': {
    values: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': {
    matchExpressions: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement': {
    values: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta': {
    remainingItemCount: { format: 'int64' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ListOptions': {
    timeoutSeconds: { format: 'int64' },
    limit: { format: 'int64' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    generation: { format: 'int64' },
    deletionGracePeriodSeconds: { format: 'int64' },
    ownerReferences: { strategy: 'merge', mergeKey: 'uid', listType: 'map', mapKeys: ['uid'] },
    finalizers: { strategy: 'merge', listType: 'set' },
    managedFields: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.PatchOptions': {
    dryRun: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.RootPaths': {
    paths: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Status': {
    details: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails': {
    causes: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Table': {
    columnDefinitions: { listType: 'atomic' },
    rows: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.TableRow': {
    cells: { listType: 'atomic' },
    conditions: { listType: 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.UpdateOptions': {
    dryRun: { listType: 'atomic' },
  },
};

/** Structs Kubernetes marks `+structType=atomic`: replaced whole by patches. */
export const atomicStructs: ReadonlySet<string> = new Set([
  'io.k8s.api.core.v1.SecretReference',
  'io.k8s.api.core.v1.ObjectFieldSelector',
  'io.k8s.api.core.v1.ResourceFieldSelector',
  'io.k8s.api.core.v1.ConfigMapKeySelector',
  'io.k8s.api.core.v1.SecretKeySelector',
  'io.k8s.api.core.v1.NodeSelector',
  'io.k8s.api.core.v1.NodeSelectorTerm',
  'io.k8s.api.core.v1.TopologySelectorTerm',
  'io.k8s.api.core.v1.EndpointAddress',
  'io.k8s.api.core.v1.EndpointPort',
  'io.k8s.api.core.v1.ObjectReference',
  'io.k8s.api.core.v1.LocalObjectReference',
  'io.k8s.api.core.v1.TypedLocalObjectReference',
  'io.k8s.api.core.v1.ScopeSelector',
  'io.k8s.api.autoscaling.v1.CrossVersionObjectReference',
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference',
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
]);
