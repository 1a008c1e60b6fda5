// CPU requests and limits as CFS values (the kubelet's cm.MilliCPUToShares / MilliCPUToQuota):
// a request is a weight (cpu.shares, 1024 per core), a limit a quota of run time per period
// (200m = 20 ms of every 100 ms).

/** The kernel's smallest weight; what a container or pod without a cpu request gets. */
export const MIN_SHARES = 2;
/** The kernel's largest weight (cgroup v1 cpu.shares). */
export const MAX_SHARES = 262144;
const SHARES_PER_CPU = 1024;
const MILLI_CPU_TO_CPU = 1000;

/** The kubelet's default --cpu-cfs-quota-period: 100 ms, in microseconds. */
export const QUOTA_PERIOD = 100_000;
/** The smallest quota the kernel accepts: 1 ms. */
const MIN_QUOTA = 1000;

export function milliCPUToShares(milliCPU: number): number {
  if (milliCPU === 0) return MIN_SHARES;
  // (milliCPU / 1000) * 1024, factored for rounding as the kubelet does.
  const shares = Math.floor((milliCPU * SHARES_PER_CPU) / MILLI_CPU_TO_CPU);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** 0 for no limit (the quota is left unset). */
export function milliCPUToQuota(milliCPU: number, period = QUOTA_PERIOD): number {
  if (milliCPU === 0) return 0;
  return Math.max(MIN_QUOTA, Math.floor((milliCPU * period) / MILLI_CPU_TO_CPU));
}
