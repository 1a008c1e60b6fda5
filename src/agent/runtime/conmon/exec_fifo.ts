// Starting a created container as `runc start` does, without running runc: `runc create` leaves
// the container's init process blocked opening ROOT/ID/exec.fifo for writing; a reader lets it
// write one byte and exec the container's process (the fifo's end, CLOEXEC, is then closed), and
// removing the fifo marks the container running — `runc state` tells created from running by the
// fifo alone. This is runc's own start (libcontainer's exec()), minus a Go process start per
// container, ≈ 20 ms on every sandbox and container start.
//
// Like runc, an init process that died meanwhile must not leave the reader blocked: a watchdog
// checks it and, when it is gone, opens the fifo's write end itself to end the read.
import { constants } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeError } from '../runtime.ts';
import { isAlive } from './process.ts';

const WATCHDOG_MS = 100;

export async function startByExecFifo(runcRoot: string, id: string, initPid: number): Promise<void> {
  const fifo = join(runcRoot, id, 'exec.fifo');
  const watchdog = setInterval(() => {
    if (!isAlive(initPid)) void unblock(fifo);
  }, WATCHDOG_MS);
  let data: Buffer;
  try {
    data = await readFile(fifo);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RuntimeError(code === 'ENOENT' ? 'InvalidState' : 'Failed', `starting container ${id}: ${code === 'ENOENT' ? 'it is not in the created state' : (err as Error).message}`, { cause: err });
  } finally {
    clearInterval(watchdog);
  }
  await rm(fifo, { force: true });
  if (data.length === 0) throw new RuntimeError('Failed', `starting container ${id}: its process is already dead`);
}

/** Ends a read blocked on the fifo: a writer that writes nothing. */
async function unblock(fifo: string): Promise<void> {
  const handle = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => undefined);
  await handle?.close();
}
