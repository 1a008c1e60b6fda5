// What the pod worker adds to the kubelet's labels and annotations (kuberuntime/labels.ts, which
// carry the pod's identity): what each container was made from, for its status after a restart.
export const annotations = {
  /** The image that ran, by its normalised name (docker.io/library/busybox:latest), as containerd reports it. */
  image: 'io.kubernetes.container.image',
  /** repo@sha256:… of the image that ran: the container status's imageID. */
  imageRef: 'io.kubernetes.container.imageRef',
} as const;

/** containerID in pod status: "<runtime>://<id>", as the kubelet prefixes CRI ids. */
export const containerIdPrefix = 'runc://';
