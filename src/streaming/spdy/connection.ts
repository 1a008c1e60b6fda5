// The server side of a SPDY/3.1 connection, as kubectl's client (moby/spdystream) expects it:
//
//   transport bytes ─▶ FrameReader ─▶ one frame at a time, in order:
//     SYN_STREAM    headers decompressed ─▶ onStream(SpdyStream) (the handler replies or resets)
//     DATA          to its stream (FIN: the peer's half-close); unknown stream: ignored
//     RST_STREAM    destroys the stream
//     PING          echoed unchanged
//     GOAWAY        the peer is done: the connection closes
//     WINDOW_UPDATE, SETTINGS, HEADERS: ignored (spdystream does no flow control)
//
// Flow control is the transport's: a stream whose reader is full pauses the whole transport
// until it drains, so no stream buffers without bound.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { encodeFrame, FLAG_FIN, FrameReader, MAX_DATA_LENGTH, type Frame } from './frames.ts';
import { HeaderCompressor, HeaderDecompressor, type Headers } from './headers.ts';
import { SpdyStream, type StreamOwner } from './stream.ts';

export class SpdyConnection extends EventEmitter implements StreamOwner {
  private readonly transport: Duplex;
  private readonly onStream: (stream: SpdyStream) => void;
  private readonly reader = new FrameReader();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private work: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  private closing = false;
  private tornDown = false;
  /** Resolves once the transport is gone. */
  readonly closed: Promise<void>;

  constructor(transport: Duplex, onStream: (stream: SpdyStream) => void) {
    super();
    this.transport = transport;
    this.onStream = onStream;
    this.closed = new Promise((resolve) => transport.once('close', () => resolve()));
    transport.on('data', (chunk: Buffer) => this.receive(chunk));
    transport.on('error', () => this.teardown());
    transport.once('end', () => this.teardown());
    transport.once('close', () => this.teardown());
  }

  /** Ends the connection: GOAWAY, then the transport's end. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    if (!this.transport.destroyed) {
      this.transport.write(encodeFrame({ type: 'goAway', lastGoodStreamId: this.lastStreamId, status: 0 }));
      this.transport.end();
    }
    this.teardown();
  }

  sendReply(streamId: number, headers: Headers): void {
    this.send({ type: 'synReply', streamId, flags: 0, headerBlock: this.compressor.compress(headers) });
  }

  sendData(streamId: number, data: Buffer, fin: boolean, done: (err?: Error | null) => void): void {
    // Data for a connection that is gone is lost with it; the streams go down with the teardown.
    if (this.transport.destroyed || !this.transport.writable) {
      done();
      return;
    }
    let offset = 0;
    do {
      const piece = data.subarray(offset, offset + MAX_DATA_LENGTH);
      offset += piece.length;
      const last = offset >= data.length;
      const frame = encodeFrame({ type: 'data', streamId, flags: last && fin ? FLAG_FIN : 0, data: piece });
      if (last) this.transport.write(frame, (err) => done(err));
      else this.transport.write(frame);
    } while (offset < data.length);
  }

  sendReset(streamId: number, status: number): void {
    this.send({ type: 'rstStream', streamId, status });
  }

  resumeInput(): void {
    if (!this.transport.destroyed) this.transport.resume();
  }

  forget(streamId: number): void {
    this.streams.delete(streamId);
  }

  private send(frame: Frame): void {
    if (!this.transport.destroyed && this.transport.writable) this.transport.write(encodeFrame(frame));
  }

  private receive(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.reader.push(chunk);
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    for (const frame of frames) this.work = this.work.then(() => this.handle(frame)).catch((err: Error) => this.fail(err));
  }

  private async handle(frame: Frame): Promise<void> {
    if (this.closing) return;
    switch (frame.type) {
      case 'synStream': {
        const headers = await this.decompressor.decompress(frame.headerBlock);
        this.lastStreamId = frame.streamId;
        const stream = new SpdyStream(this, frame.streamId, headers);
        this.streams.set(frame.streamId, stream);
        if ((frame.flags & FLAG_FIN) !== 0) stream.receiveFin();
        this.onStream(stream);
        return;
      }
      case 'data': {
        const stream = this.streams.get(frame.streamId);
        if (!stream) return;
        if (!stream.receive(frame.data)) this.transport.pause();
        if ((frame.flags & FLAG_FIN) !== 0) stream.receiveFin();
        return;
      }
      case 'rstStream':
        this.streams.get(frame.streamId)?.destroy();
        return;
      case 'ping':
        this.send(frame);
        return;
      case 'goAway':
        this.close();
        return;
      case 'synReply':
      case 'headers':
        // Header blocks still advance the peer's compression stream.
        await this.decompressor.decompress(frame.headerBlock);
        return;
      default:
        return;
    }
  }

  private fail(err: Error): void {
    this.emit('protocolError', err);
    this.transport.destroy();
    this.teardown();
  }

  private teardown(): void {
    if (this.tornDown) return;
    this.tornDown = true;
    this.closing = true;
    for (const stream of this.streams.values()) stream.destroy();
    this.streams.clear();
    this.decompressor.close();
  }
}
