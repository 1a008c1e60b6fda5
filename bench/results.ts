// What every benchmark does with its results: a JSON file under bench/out, its section of
// bench/README.md (between <!-- NAME:begin --> and <!-- NAME:end -->), and the line that says
// where and under what load it was measured.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  loadBefore: number;
  loadAfter: number;
}

/** Writes bench/out/NAME-<date>.json; returns its path. */
export async function writeResultsFile(benchDir: string, name: string, results: { date: string }): Promise<string> {
  const dir = join(benchDir, 'out');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}-${results.date.slice(0, 19).replaceAll(':', '-')}.json`);
  await writeFile(path, JSON.stringify(results, null, 2) + '\n');
  return path;
}

/** Replaces the README's NAME section with `markdown`. */
export async function updateReadmeSection(benchDir: string, name: string, markdown: string): Promise<void> {
  const path = join(benchDir, 'README.md');
  const [begin, end] = [`<!-- ${name}:begin -->`, `<!-- ${name}:end -->`];
  const text = await readFile(path, 'utf8');
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${path}: no ${begin} … ${end} section`);
  await writeFile(path, text.slice(0, from + begin.length) + '\n' + markdown + text.slice(to));
}

/** "Measured <date> UTC on <machine>; load average …; <what>; the whole run took N s." */
export function measuredLine(date: string, machine: Machine, what: string, durationS: number): string {
  return `Measured ${date.slice(0, 16).replace('T', ' ')} UTC on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}; ` +
    `load average ${machine.loadBefore.toFixed(2)} before, ${machine.loadAfter.toFixed(2)} after; ${what}; ` +
    `the whole run took ${Math.round(durationS)} s.`;
}

/** A speed or size aimed at, as measured. */
export interface Target {
  what: string;
  measured: string;
  met: boolean;
}

/** 'yes', or a bold no that stands out in a table. */
export function metCell(met: boolean): string {
  return met ? 'yes' : '**no**';
}

/** The lines of the "target | measured | met" table that ends a section. */
export function targetsTable(targets: Target[]): string[] {
  return ['| target | measured | met |', '|---|---|---|', ...targets.map((t) => `| ${t.what} | ${t.measured} | ${metCell(t.met)} |`)];
}

/** The machine's facts, the 1-minute load average at the start given and at the end read now. */
export function machineFacts(loadBefore: number): Machine {
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', node: process.version, loadBefore, loadAfter: loadavg()[0]! };
}
