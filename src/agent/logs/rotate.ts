// Rotating one container log, as the kubelet's container log manager does: plan from the files
// present (pure, unit-tested), then act in the kubelet's order —
//
//   remove unused leftovers ─▶ remove the oldest past MaxFiles-2 ─▶ gzip the rest (LOG.x → LOG.x.gz)
//   ─▶ rename LOG → LOG.<stamp> ─▶ runtime reopens LOG (a new file) ─ failed? rename it back
//
// MaxFiles counts the live log and the newest rotated one, both kept plain: the runtime may still
// write the rotated file until it reopened, and a reader may still be reading it.
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pathExists } from '../../util/fs.ts';
import { compressSuffix, rotatedSiblings, rotationStamp, splitUnused, tmpSuffix } from './rotated.ts';

export interface RotationPlan {
  /** Leftovers of failed rotations. */
  unused: string[];
  /** The oldest rotated files past the limit. */
  excess: string[];
  /** Rotated files left plain so far. */
  compress: string[];
}

export function planRotation(siblings: string[], maxFiles: number): RotationPlan {
  const { inUse, unused } = splitUnused(siblings);
  const sorted = [...inUse].sort();
  const keep = Math.max(maxFiles - 2, 0);
  const cut = Math.max(sorted.length - keep, 0);
  return { unused, excess: sorted.slice(0, cut), compress: sorted.slice(cut).filter((l) => !l.endsWith(compressSuffix)) };
}

export interface RotateDeps {
  now(): Date;
  /** Has the runtime write a new file at the log's path (Runtime.reopenContainerLog). */
  reopen(): Promise<void>;
}

export async function rotateLog(log: string, maxFiles: number, deps: RotateDeps): Promise<void> {
  const plan = planRotation(await rotatedSiblings(log), maxFiles);
  for (const l of [...plan.unused, ...plan.excess]) await rm(l, { force: true });
  for (const l of plan.compress) await compressLog(l);
  const rotated = `${log}.${rotationStamp(deps.now())}`;
  await rename(log, rotated);
  try {
    await deps.reopen();
  } catch (err) {
    // Back in place, to be rotated again next round (the kubelet does the same).
    if (!(await pathExists(log))) await rename(rotated, log);
    throw err;
  }
}

/** LOG.x → LOG.x.gz through LOG.x.tmp, then LOG.x removed. */
async function compressLog(log: string): Promise<void> {
  const tmp = log + tmpSuffix;
  try {
    const { mode } = await stat(log); // the runtime's mode (0600 from conmon), as the kubelet keeps it
    await pipeline(createReadStream(log), createGzip(), createWriteStream(tmp, { mode }));
    await rename(tmp, log + compressSuffix);
  } finally {
    await rm(tmp, { force: true });
  }
  await rm(log);
}
