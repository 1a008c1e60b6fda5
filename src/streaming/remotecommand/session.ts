// What an exec or attach needs from the client's connection once it is upgraded, whatever the
// protocol (WebSocket channels or SPDY streams): the process's stdio as streams, the terminal
// sizes the client sends, and one way to end with the command's result.
import type { Readable, Writable } from 'node:stream';

export interface TerminalSize {
  width: number;
  height: number;
}

/** Which streams the client asked for (the query's stdin/stdout/stderr/tty). */
export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** How the command ended: an exit code, or why it could not run. */
export type CommandResult = { exitCode: number; command?: string[] } | { error: string };

export interface RemoteCommandSession {
  /** The client's input; ends when the client closes it. */
  readonly stdin?: Readable;
  readonly stdout?: Writable;
  readonly stderr?: Writable;
  /** Called for each terminal size the client sends (tty only), the first right after the start. */
  onResize(listener: (size: TerminalSize) => void): void;
  /** Sends the result on the error channel and closes the connection. */
  finish(result: CommandResult): Promise<void>;
  /** Resolves when the client's connection is gone (it hung up, or finish closed it). */
  readonly closed: Promise<void>;
}

/** `{"Width":80,"Height":24}` as kubectl sends it; undefined when it is not one. */
export function parseTerminalSize(text: string): TerminalSize | undefined {
  try {
    const value = JSON.parse(text) as { Width?: unknown; Height?: unknown };
    if (typeof value.Width !== 'number' || typeof value.Height !== 'number') return undefined;
    return { width: value.Width, height: value.Height };
  } catch {
    return undefined;
  }
}
