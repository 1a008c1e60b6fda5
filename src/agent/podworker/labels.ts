// How the agent finds its pods in the runtime after a restart: every sandbox and container carries
// the pod's identity as labels (the kubelet's names), and the container what it was made from.
export const labels = {
  podUid: 'io.kubernetes.pod.uid',
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  containerName: 'io.kubernetes.container.name',
} as const;

export const annotations = {
  /** The image that ran, by its normalised name (docker.io/library/busybox:latest), as containerd reports it. */
  image: 'io.kubernetes.container.image',
  /** repo@sha256:… of the image that ran: the container status's imageID. */
  imageRef: 'io.kubernetes.container.imageRef',
} as const;

/** containerID in pod status: "<runtime>://<id>", as the kubelet prefixes CRI ids. */
export const containerIdPrefix = 'runc://';
