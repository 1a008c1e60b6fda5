// The files of one container log once it has been rotated, named as the kubelet names them
// (pkg/kubelet/logs): LOG is the file the runtime writes; LOG.<YYYYMMDD-hhmmss> a rotated one,
// LOG.<…>.gz a rotated one compressed, LOG.<…>.tmp a compression that did not finish (not in use,
// nor is a plain file beside its own .gz: it was compressed but not yet removed).
//
//   0.log.20261123-140000.gz  0.log.20261123-140510  0.log      oldest … newest
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const compressSuffix = '.gz';
export const tmpSuffix = '.tmp';

/** The suffix of a log rotated at `now`: Go's "20060102-150405", in local time as the kubelet formats it. */
export function rotationStamp(now: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
}

/** Every LOG.* beside the log, as full paths (the kubelet's glob "LOG.*"). */
export async function rotatedSiblings(log: string): Promise<string[]> {
  const prefix = `${basename(log)}.`;
  const names = await readdir(dirname(log)).catch(() => [] as string[]);
  return names.filter((n) => n.startsWith(prefix)).map((n) => join(dirname(log), n));
}

/** The kubelet's filterUnusedLogs: files still part of the log, and leftovers of failed rotations. */
export function splitUnused(logs: string[]): { inUse: string[]; unused: string[] } {
  const all = new Set(logs);
  const isInUse = (l: string) => !l.endsWith(tmpSuffix) && (l.endsWith(compressSuffix) || !all.has(l + compressSuffix));
  return { inUse: logs.filter(isInUse), unused: logs.filter((l) => !isInUse(l)) };
}

/** The kubelet's GetAllLogs: the rotated files in use, oldest first, then the log itself. */
export async function allLogs(log: string): Promise<string[]> {
  return [...splitUnused(await rotatedSiblings(log)).inUse.sort(), log];
}
