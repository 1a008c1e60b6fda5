// The client side of a chunked watch response: a body of concatenated JSON objects (one event
// each, usually newline-terminated) cut at arbitrary points by the transport. The framer finds
// object boundaries by brace depth, outside strings, so neither the newlines nor the chunk edges
// matter — the same tolerance as client-go's streaming JSON decoder.
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Status } from 'kubernetes-types/meta/v1.d.ts';
import { AsyncQueue } from '../util/asyncqueue.ts';

export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** Splits a stream of text into complete top-level JSON object texts. */
export class JsonObjectFramer {
  private buf = '';
  private scanned = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  push(chunk: string): string[] {
    this.buf += chunk;
    const frames: string[] = [];
    let start = 0;
    for (let i = this.scanned; i < this.buf.length; i++) {
      const c = this.buf[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
        continue;
      }
      if (this.depth === 0 && c !== '{') {
        if (!isSpace(c)) throw new Error(`watch stream: unexpected ${JSON.stringify(c)} between events`);
        start = i + 1;
        continue;
      }
      if (c === '"') this.inString = true;
      else if (c === '{' || c === '[') this.depth++;
      else if (c === '}' || c === ']') {
        this.depth--;
        if (this.depth === 0) {
          frames.push(this.buf.slice(start, i + 1));
          start = i + 1;
        }
      }
    }
    this.buf = this.buf.slice(start);
    this.scanned = this.buf.length;
    return frames;
  }

  /** True when the stream stopped in the middle of an object. */
  get partial(): boolean {
    return this.buf.trim() !== '';
  }
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t';
}

/**
 * One watch response as an async iterable of events. Iteration ends when the server ends the
 * response (timeoutSeconds, shutdown) or close() is called; it throws if the connection breaks
 * mid-stream or the body is not a watch stream.
 */
export class WatchStream<T> implements AsyncIterable<WatchEvent<T>> {
  private readonly events = new AsyncQueue<WatchEvent<T>>();
  private readonly req: ClientRequest;
  private closed = false;

  constructor(req: ClientRequest, res: IncomingMessage, what: string) {
    this.req = req;
    const framer = new JsonObjectFramer();
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      try {
        for (const frame of framer.push(chunk)) this.events.push(parseEvent<T>(frame));
      } catch (err) {
        this.fail(new Error(`${what}: ${(err as Error).message}`, { cause: err }));
      }
    });
    res.on('end', () => {
      if (framer.partial) this.fail(new Error(`${what}: stream ended inside an event`));
      else this.events.end();
    });
    res.on('error', (err) => this.fail(new Error(`${what}: ${err.message}`, { cause: err })));
    res.on('close', () => {
      if (!res.complete) this.fail(new Error(`${what}: connection closed mid-stream`));
    });
  }

  close(): void {
    this.closed = true;
    this.events.end();
    this.req.destroy();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    return this.events[Symbol.asyncIterator]();
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.events.end(err);
    this.req.destroy();
  }
}

function parseEvent<T>(frame: string): WatchEvent<T> {
  const event = JSON.parse(frame) as { type?: unknown; object?: unknown };
  if (typeof event.type !== 'string' || !EVENT_TYPES.has(event.type) || typeof event.object !== 'object' || event.object === null) {
    throw new Error(`not a watch event: ${frame.slice(0, 200)}`);
  }
  return event as WatchEvent<T>;
}
