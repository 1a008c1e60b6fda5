// SPDY/3 byte-level: frames split anywhere, header blocks as kubectl's zlib writes them (level 9,
// dictionary, a sync flush per block), the stored blocks written back (the bytes kubectl accepted
// in the wire reference), and a connection's stream lifecycle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createDeflate, inflateSync } from 'node:zlib';
import { PassThrough, Duplex } from 'node:stream';
import { adler32 } from './adler32.ts';
import { headerDictionary } from '../../src/streaming/spdy/dictionary.ts';
import { encodeFrame, FrameReader, FLAG_FIN, SpdyProtocolError, type Frame } from '../../src/streaming/spdy/frames.ts';
import { decodeHeaderBlock, encodeHeaderBlock, HeaderCompressor, HeaderDecompressor } from '../../src/streaming/spdy/headers.ts';
import { SpdyConnection } from '../../src/streaming/spdy/connection.ts';
import type { SpdyStream } from '../../src/streaming/spdy/stream.ts';

test('the dictionary is SPDY/3\'s: 1423 bytes, Adler-32 E3C6A7C2', () => {
  assert.equal(headerDictionary.length, 1423);
  assert.equal(adler32(headerDictionary).toString(16), 'e3c6a7c2');
});

test('frames survive any split of the byte stream (the WebSocket tunnel sends field by field)', () => {
  const frames: Frame[] = [
    { type: 'synStream', streamId: 1, associatedId: 0, priority: 0, flags: 0, headerBlock: Buffer.from('abc') },
    { type: 'data', streamId: 1, flags: 0, data: Buffer.from('hello') },
    { type: 'data', streamId: 1, flags: FLAG_FIN, data: Buffer.alloc(0) },
    { type: 'ping', id: 7 },
    { type: 'rstStream', streamId: 3, status: 5 },
    { type: 'goAway', lastGoodStreamId: 3, status: 0 },
    { type: 'windowUpdate', streamId: 1, delta: 65536 },
  ];
  const bytes = Buffer.concat(frames.map(encodeFrame));
  for (const size of [1, 2, 3, 7, bytes.length]) {
    const reader = new FrameReader();
    const out: Frame[] = [];
    for (let i = 0; i < bytes.length; i += size) out.push(...reader.push(bytes.subarray(i, i + size)));
    assert.deepEqual(out, frames, `split every ${size} bytes`);
  }
});

test('control frames start 80 03; a data frame carries its stream id and flags', () => {
  assert.equal(encodeFrame({ type: 'ping', id: 1 }).toString('hex'), '800300060000000400000001');
  assert.equal(encodeFrame({ type: 'data', streamId: 5, flags: FLAG_FIN, data: Buffer.from('x') }).toString('hex'), '000000050100000178');
});

test('a frame of another SPDY version, or a truncated control frame, is a protocol error', () => {
  assert.throws(() => new FrameReader().push(Buffer.from('800200060000000400000001', 'hex')), SpdyProtocolError);
  assert.throws(() => new FrameReader().push(Buffer.from('80030003000000020000', 'hex')), SpdyProtocolError);
});

test('the first two SYN_REPLY header blocks are the stored blocks kubectl accepted', () => {
  const compressor = new HeaderCompressor();
  assert.equal(compressor.compress({}).toString('hex'), '7820e3c6a7c2000400fbff00000000000000ffff');
  assert.equal(compressor.compress({}).toString('hex'), '000400fbff00000000000000ffff');
});

test('stored blocks inflate with the dictionary, block by block', () => {
  const compressor = new HeaderCompressor();
  const first = compressor.compress({ streamtype: 'error', port: '8080' });
  const second = compressor.compress({ streamtype: 'data' });
  const all = inflateSync(Buffer.concat([first, second]), { dictionary: headerDictionary, finishFlush: constants.Z_SYNC_FLUSH });
  const firstRaw = encodeHeaderBlock({ streamtype: 'error', port: '8080' });
  assert.deepEqual(decodeHeaderBlock(all.subarray(0, firstRaw.length)), { streamtype: 'error', port: '8080' });
  assert.deepEqual(decodeHeaderBlock(all.subarray(firstRaw.length)), { streamtype: 'data' });
});

test('blocks compressed like Go\'s client (level 9, dictionary, sync flush) decompress one at a time', async () => {
  const deflate = createDeflate({ level: 9, dictionary: headerDictionary });
  const compress = (headers: Record<string, string>) => new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    const onData = (c: Buffer) => chunks.push(c);
    deflate.on('data', onData);
    deflate.write(encodeHeaderBlock(headers));
    deflate.flush(constants.Z_SYNC_FLUSH, () => {
      deflate.off('data', onData);
      resolve(Buffer.concat(chunks));
    });
  });
  const decompressor = new HeaderDecompressor();
  const blocks = [{ streamtype: 'error', port: '8080', requestid: '0' }, { streamtype: 'data', port: '8080', requestid: '0' }, { streamtype: 'error', port: '8080', requestid: '1' }];
  for (const headers of blocks) {
    const block = await compress(headers);
    assert.equal(block.subarray(-4).toString('hex'), '0000ffff');
    assert.deepEqual(await decompressor.decompress(block), headers);
  }
  decompressor.close();
  deflate.close();
});

test('garbage in a header block is a protocol error, not a crash', async () => {
  const decompressor = new HeaderDecompressor();
  await assert.rejects(decompressor.decompress(Buffer.from('not zlib at all')), SpdyProtocolError);
  decompressor.close();
});

/** A client end and a server end joined back to back. */
function pipePair(): { client: Duplex; server: Duplex } {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = Duplex.from({ readable: toServer, writable: toClient });
  const client = Duplex.from({ readable: toClient, writable: toServer });
  return { client, server };
}

test('a connection: SYN_STREAM → handler → SYN_REPLY, data both ways, FIN, PING echoed, GOAWAY closes', async () => {
  const { client, server } = pipePair();
  const seen: SpdyStream[] = [];
  const connection = new SpdyConnection(server, (stream) => {
    seen.push(stream);
    stream.reply();
    stream.on('data', (chunk: Buffer) => stream.write(Buffer.from(chunk.toString().toUpperCase())));
    stream.on('end', () => stream.end());
  });
  const reader = new FrameReader();
  const received: Frame[] = [];
  client.on('data', (chunk: Buffer) => received.push(...reader.push(chunk)));
  const headers = createDeflate({ level: 9, dictionary: headerDictionary });
  const block = await new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    headers.on('data', (c: Buffer) => chunks.push(c));
    headers.write(encodeHeaderBlock({ streamtype: 'stdin' }));
    headers.flush(constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(chunks)));
  });
  client.write(encodeFrame({ type: 'synStream', streamId: 1, associatedId: 0, priority: 0, flags: 0, headerBlock: block }));
  client.write(encodeFrame({ type: 'data', streamId: 1, flags: 0, data: Buffer.from('abc') }));
  client.write(encodeFrame({ type: 'data', streamId: 1, flags: FLAG_FIN, data: Buffer.alloc(0) }));
  client.write(encodeFrame({ type: 'ping', id: 9 }));
  await until(() => received.some((f) => f.type === 'data' && (f.flags & FLAG_FIN) !== 0));
  assert.equal(seen[0]?.headers.streamtype, 'stdin');
  const [reply, ...rest] = received;
  assert.equal(reply?.type, 'synReply');
  assert.deepEqual(rest.filter((f) => f.type === 'ping'), [{ type: 'ping', id: 9 }]);
  assert.deepEqual(rest.filter((f) => f.type === 'data').map((f) => f.type === 'data' && f.data.toString()).join(''), 'ABC');
  client.end(encodeFrame({ type: 'goAway', lastGoodStreamId: 1, status: 0 }));
  await connection.closed;
  headers.close();
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), 'condition not reached');
}
