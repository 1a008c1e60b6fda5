// The helper processes a node's streaming sessions run on the host, found in /proc: runc exec,
// script (exec terminals), nsenter, and perl (attach relays, pod port relays and their
// per-connection children) — those whose command line or working directory is under the node's
// data dir. conmon and the containers' own processes are not among them.
import { readdir, readFile, readlink } from 'node:fs/promises';

export interface StreamingProcess {
  pid: number;
  comm: string;
  args: string;
  /** A forked child of a pod port relay: it serves one forwarded connection. */
  parentIsRelay: boolean;
}

const helpers = new Set(['runc', 'script', 'perl', 'nsenter', 'socat']);

export async function streamingProcesses(dataDir: string): Promise<StreamingProcess[]> {
  const all = await Promise.all((await readdir('/proc')).filter((e) => /^\d+$/.test(e)).map((e) => describe(Number(e))));
  const found = all.filter((p): p is Described => p !== undefined && helpers.has(p.comm) && (p.args.includes(dataDir) || p.cwd.startsWith(dataDir)));
  const relays = new Set(found.filter((p) => p.args.includes('port_relay.pl')).map((p) => p.pid));
  return found.map(({ pid, comm, args, ppid }) => ({ pid, comm, args, parentIsRelay: relays.has(ppid) }));
}

interface Described {
  pid: number;
  ppid: number;
  comm: string;
  args: string;
  cwd: string;
}

async function describe(pid: number): Promise<Described | undefined> {
  try {
    const [stat, cmdline, cwd] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/cmdline`, 'utf8'), readlink(`/proc/${pid}/cwd`).catch(() => ''),
    ]);
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state[0] === 'Z') return undefined; // a zombie runs nothing
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    return { pid, ppid: Number(state[1]), comm, args: cmdline.split('\0').join(' ').trim(), cwd };
  } catch {
    return undefined; // gone meanwhile
  }
}
