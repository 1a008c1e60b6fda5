// conmon's control fifo (BUNDLE/ctl): one line per message, "TYPE A B\n" — 1 HEIGHT WIDTH resizes
// the container's terminal, 2 0 0 reopens its log file (conmon opens LOG.tmp and renames it over
// LOG, so a log renamed away before gets a new file in its place).
//
// The fifo is opened without blocking: with no conmon reading it (the container is gone), a
// blocking open would hang one of Node's few file-system threads for good.
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { RuntimeError, type TerminalSize } from '../runtime.ts';

const REOPEN_WAIT_MS = 5_000;
/** Quiet time after which the last resize is sent again. */
const SETTLE_MS = 200;

/** Writes one message; false when no conmon listens (ENXIO) or the fifo is gone. */
async function writeCtl(bundleDir: string, message: string): Promise<boolean> {
  try {
    const fifo = await open(join(bundleDir, 'ctl'), constants.O_WRONLY | constants.O_NONBLOCK);
    try {
      await fifo.write(message);
    } finally {
      await fifo.close();
    }
    return true;
  } catch {
    return false;
  }
}

/** Resizes the container's terminal (a no-op without one). */
async function resizeTerminal(bundleDir: string, size: TerminalSize): Promise<void> {
  await writeCtl(bundleDir, `1 ${size.height} ${size.width}\n`);
}

/**
 * Resizes for one attach. conmon 2.1.6 sometimes ends on an earlier size when resizes reach it
 * together (kubectl sends two at once, its size+1 then its size, to force a redraw; measured
 * here: 7 in 100 end on the first), while one alone always lands. So the last size is sent once
 * more when resizes have stopped for a moment: the same size again changes nothing and signals
 * nobody when it had landed.
 */
export function terminalResizer(bundleDir: string): { resize(size: TerminalSize): Promise<void>; stop(): void } {
  let settle: NodeJS.Timeout | undefined;
  return {
    async resize(size) {
      clearTimeout(settle);
      await resizeTerminal(bundleDir, size);
      settle = setTimeout(() => void resizeTerminal(bundleDir, size), SETTLE_MS);
    },
    stop: () => clearTimeout(settle),
  };
}

/** Has conmon reopen the log at logPath and waits until the new file is there. */
export async function reopenLog(bundleDir: string, logPath: string): Promise<void> {
  const before = await inode(logPath);
  if (!(await writeCtl(bundleDir, '2 0 0\n'))) throw new RuntimeError('InvalidState', `no conmon listens on ${join(bundleDir, 'ctl')}`);
  for (const deadline = Date.now() + REOPEN_WAIT_MS; ; await delay(10)) {
    const now = await inode(logPath);
    if (now !== undefined && now !== before) return;
    if (Date.now() > deadline) throw new RuntimeError('Failed', `conmon did not reopen ${logPath} within ${REOPEN_WAIT_MS} ms`);
  }
}

async function inode(path: string): Promise<number | undefined> {
  return (await stat(path).catch(() => undefined))?.ino;
}
