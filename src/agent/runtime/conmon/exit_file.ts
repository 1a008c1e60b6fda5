// conmon writes EXITDIR/ID holding the exit code (128+N after signal N) when the container exits.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface ExitRecord {
  exitCode: number;
  finishedAt: Date;
}

/** The container's exit, or undefined while it has not exited. */
export async function readExitFile(exitDir: string, id: string): Promise<ExitRecord | undefined> {
  const path = join(exitDir, id);
  const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [undefined, undefined] as const;
    throw new Error(`reading exit file ${path}: ${err.message}`, { cause: err });
  });
  // conmon creates the file and then writes it: an empty file is an exit still being recorded.
  if (text === undefined || info === undefined || text.trim() === '') return undefined;
  const exitCode = Number(text.trim());
  if (!Number.isInteger(exitCode)) throw new Error(`exit file ${path}: bad content ${JSON.stringify(text)}`);
  return { exitCode, finishedAt: info.mtime };
}

const POLL_MS = 10;

/** Polls for the exit file until the deadline (ms since epoch); undefined when it passes. */
export async function waitForExitFile(exitDir: string, id: string, deadline: number): Promise<ExitRecord | undefined> {
  for (;;) {
    const exit = await readExitFile(exitDir, id);
    if (exit !== undefined || Date.now() >= deadline) return exit;
    await delay(POLL_MS);
  }
}
