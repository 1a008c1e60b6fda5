// What every benchmark writes into bench/README.md: its section between <!-- NAME:begin --> and
// <!-- NAME:end -->, opened by one line on when and where it was measured.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  loadBefore: number;
  loadAfter: number;
}

export async function replaceReadmeSection(benchDir: string, name: string, markdown: string): Promise<void> {
  const path = join(benchDir, 'README.md');
  const [begin, end] = [`<!-- ${name}:begin -->`, `<!-- ${name}:end -->`];
  const text = await readFile(path, 'utf8');
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${path}: no ${begin} … ${end} section`);
  await writeFile(path, text.slice(0, from + begin.length) + '\n' + markdown + text.slice(to));
}

/** "Measured DATE UTC on N × CPU, Node V; load average A before, B after" */
export function measuredOn(date: string, machine: Machine): string {
  return `Measured ${date.slice(0, 16).replace('T', ' ')} UTC on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}; ` +
    `load average ${machine.loadBefore.toFixed(2)} before, ${machine.loadAfter.toFixed(2)} after`;
}
