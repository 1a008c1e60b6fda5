// The volumes component as the pod worker uses it.
export { VolumeManager, type PodVolume, type PodVolumes, type DownwardContext, type VolumeSources } from './volume_manager.ts';
export { containerMounts } from './container_mounts.ts';
export { ContainerConfigError } from './errors.ts';
