// Starting a container through conmon, the per-container shim (the protocol CRI-O uses):
//
//   agent ──launcher: conmon (fd 3 = sync pipe, _OCI_SYNCPIPE=3)──▶ conmon ──runc create──▶ container (created)
//   agent ◀── {"pid": N} on fd 3 ── conmon daemonizes, keeps the container's stdio and waits
//   agent ──start (exec_fifo.ts)──▶ container runs; conmon writes the CRI log, then EXITDIR/ID on exit
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchSynced } from '../../launcher/launcher.ts';
import { RuntimeError } from '../runtime.ts';
import { isAlive } from './process.ts';
import type { Runc } from './runc.ts';

const CONMON_PIDFILE_WAIT_MS = 5_000;

export interface ConmonLaunch {
  conmonPath: string;
  runc: Runc;
  id: string;
  bundleDir: string;
  /** runc writes the container's host PID here. */
  pidFile: string;
  /** conmon writes its own PID here, so that it can be found after an agent restart. */
  conmonPidFile: string;
  /** Absolute path of the CRI log file. */
  logPath: string;
  exitDir: string;
  /** conmon links socketDir/ID to the bundle (its own way round the socket path limit; attach.ts connects from the bundle). */
  socketDir: string;
  /** Keep the container's stdin open for attach; stdinOnce: close it when the first client leaves. */
  stdin?: { once: boolean };
  /** Run the process on a terminal that conmon holds (OCI process.terminal must be set too). */
  terminal?: boolean;
}

/** Runs conmon until the container is created; returns the container's host PID. */
export async function createWithConmon(launch: ConmonLaunch): Promise<{ pid: number }> {
  // In the bundle, as CRI-O runs it: conmon writes its "oom" file into its working directory.
  // The daemonized conmon keeps the sync pipe for the container's lifetime; only its first line is read.
  const { line, stderr } = await launchSynced([launch.conmonPath, ...conmonArgs(launch)], { cwd: launch.bundleDir, env: { _OCI_SYNCPIPE: '3' } });
  if (line === undefined) throw new RuntimeError('Failed', `conmon for ${launch.id}: sync pipe closed without a message; ${stderr.trim()}`);
  let message: SyncMessage;
  try {
    message = JSON.parse(line) as SyncMessage;
  } catch (err) {
    throw new RuntimeError('Failed', `conmon for ${launch.id}: bad sync message ${JSON.stringify(line)}; ${stderr.trim()}`, { cause: err });
  }
  const pid = message.pid ?? message.data;
  if (typeof pid !== 'number' || pid <= 0) {
    throw new RuntimeError('Failed', `conmon could not create ${launch.id}: ${message.message ?? stderr.trim()}`);
  }
  return { pid };
}

/** conmon writes its pid file as it daemonizes, which may come after the sync pipe's reply. */
async function readConmonPid(path: string): Promise<number> {
  for (const deadline = Date.now() + CONMON_PIDFILE_WAIT_MS; ; await sleep(5)) {
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (pid > 0) return pid;
    if (Date.now() > deadline) throw new RuntimeError('Failed', `conmon did not write ${path} within ${CONMON_PIDFILE_WAIT_MS} ms`);
  }
}

function conmonArgs(l: ConmonLaunch): string[] {
  return [
    '--cid', l.id, '--cuuid', l.id, '--name', l.id,
    '--runtime', l.runc.path, '--runtime-arg', `--root=${l.runc.root}`,
    '--bundle', l.bundleDir, '--container-pidfile', l.pidFile, '--conmon-pidfile', l.conmonPidFile,
    '--log-path', `k8s-file:${l.logPath}`, '--exit-dir', l.exitDir, '--socket-dir-path', l.socketDir,
    '--log-level', 'error',
    ...(l.stdin ? ['--stdin', ...(l.stdin.once ? [] : ['--leave-stdin-open'])] : []),
    ...(l.terminal ? ['--terminal'] : []),
  ];
}

interface SyncMessage {
  pid?: number;
  data?: number;
  message?: string;
}


/**
 * conmon exits right after writing the exit file; a conmon still alive after a moment is killed.
 * Its pid file is read only now: waiting for it at creation would hold every start up.
 */
export async function reapConmon(conmonPidFile: string): Promise<void> {
  const pid = await readConmonPid(conmonPidFile).catch(() => undefined);
  if (pid === undefined) return; // it died before it wrote one
  const deadline = Date.now() + 2000;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) {
      process.kill(pid, 'SIGKILL');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
