// One SPDY stream as a Node Duplex: what the peer sends on it is readable, what is written goes
// out in DATA frames, end() is the half-close (an empty DATA frame with FIN). A RST_STREAM
// from the peer destroys it; reset() sends one.
import { Duplex } from 'node:stream';
import { RST_CANCEL } from './frames.ts';
import type { Headers } from './headers.ts';

/** What a stream needs from its connection. */
export interface StreamOwner {
  sendReply(streamId: number, headers: Headers): void;
  sendData(streamId: number, data: Buffer, fin: boolean, done: (err?: Error | null) => void): void;
  sendReset(streamId: number, status: number): void;
  /** The peer may send again (a consumer drained what was pushed). */
  resumeInput(): void;
  forget(streamId: number): void;
}

export class SpdyStream extends Duplex {
  readonly id: number;
  readonly headers: Headers;
  private readonly owner: StreamOwner;
  private replied = false;
  private remoteClosed = false;

  constructor(owner: StreamOwner, id: number, headers: Headers) {
    super({ allowHalfOpen: true });
    this.owner = owner;
    this.id = id;
    this.headers = headers;
    this.once('close', () => owner.forget(id));
    // A stream fails only with its connection, which tears every stream down and reports itself.
    this.on('error', () => undefined);
  }

  /** Accepts the stream (SYN_REPLY); the peer waits for it before opening its next one. */
  reply(headers: Headers = {}): void {
    if (this.replied) return;
    this.replied = true;
    this.owner.sendReply(this.id, headers);
  }

  /** Aborts the stream both ways (RST_STREAM). */
  reset(status = RST_CANCEL): void {
    if (this.destroyed) return;
    this.owner.sendReset(this.id, status);
    this.destroy();
  }

  /** Data from the peer; false when the consumer wants no more for now. */
  receive(data: Buffer): boolean {
    if (this.remoteClosed || this.destroyed) return true;
    return data.length === 0 ? true : this.push(data);
  }

  /** The peer's FIN: nothing more will come. */
  receiveFin(): void {
    if (this.remoteClosed) return;
    this.remoteClosed = true;
    this.push(null);
  }

  override _read(): void {
    this.owner.resumeInput();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.owner.sendData(this.id, chunk, false, done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.owner.sendData(this.id, Buffer.alloc(0), true, done);
  }
}
