import { readFileSync } from 'node:fs';
import type { HostHardLimits } from './defaults.ts';

/** Reads this process's hard limits from /proc/self/limits ("unlimited" counts as 2^53-1). */
export function readHostHardLimits(text = readFileSync('/proc/self/limits', 'utf8')): HostHardLimits {
  const line = text.split('\n').find((l) => l.startsWith('Max open files'));
  if (line === undefined) throw new Error('reading /proc/self/limits: no "Max open files" line');
  const fields = line.slice('Max open files'.length).trim().split(/\s+/);
  const hard = fields[1] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(fields[1]);
  if (!Number.isInteger(hard)) throw new Error(`reading /proc/self/limits: bad hard limit in ${JSON.stringify(line)}`);
  return { nofile: hard };
}
