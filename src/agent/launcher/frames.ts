// The launcher's frames (helper.pl has the layout): requests written, answers read back from a
// byte stream that may split them anywhere.

/** Processes run or synced; system calls made by the helper itself (helper.pl lists their argv). */
export type Mode = 'run' | 'sync3' | 'mount' | 'umount' | 'netns';

export interface LaunchOptions {
  /** Bytes for the process's stdin. */
  input?: string | Buffer;
  /** Added to the agent's environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** The process is killed (SIGKILL) past it. */
  timeoutMs?: number;
}

export interface Request extends LaunchOptions {
  id: number;
  mode: Mode;
  argv: string[];
}

export interface Answer {
  id: number;
  /** -1 when a signal ended the process; a system call's errno (0: done). */
  code: number;
  signal: number;
  stdout: Buffer;
  stderr: Buffer;
  /** The first line on fd 3 (sync mode), '' without one. */
  sync: string;
}

export function requestFrame(request: Request): Buffer {
  const env = Object.entries(request.env ?? {}).map(([k, v]) => `${k}=${v}`);
  const payload = Buffer.concat([
    u32(request.id), field(request.mode), field(request.cwd ?? ''), field(request.input ?? ''), u32(request.timeoutMs ?? 0),
    u32(env.length), ...env.map(field), u32(request.argv.length), ...request.argv.map(field),
  ]);
  return Buffer.concat([u32(payload.length), payload]);
}

export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  /** The answers complete with this chunk. */
  push(chunk: Buffer): Answer[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const answers: Answer[] = [];
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUInt32BE(0);
      if (this.buffered.length < 4 + length) break;
      answers.push(parseAnswer(this.buffered.subarray(4, 4 + length)));
      this.buffered = this.buffered.subarray(4 + length);
    }
    return answers;
  }
}

function parseAnswer(payload: Buffer): Answer {
  let at = 0;
  const u32 = () => { const v = payload.readUInt32BE(at); at += 4; return v; };
  const i32 = () => { const v = payload.readInt32LE(at); at += 4; return v; };
  const bytes = () => { const n = u32(); const b = payload.subarray(at, at + n); at += n; return Buffer.from(b); };
  const id = u32();
  const code = i32();
  const signal = i32();
  return { id, code, signal, stdout: bytes(), stderr: bytes(), sync: bytes().toString() };
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

function field(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([u32(bytes.length), bytes]);
}
