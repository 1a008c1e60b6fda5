// The port-forward relay on a real network namespace: a TCP server inside it (node, listening on
// the namespace's 127.0.0.1), reached through one relay process per namespace; half-close, a
// refused port, many connections at once, the relay's idle exit and restart, its end with the
// process whose namespace it entered, close().
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { PortRelays } from '../../src/agent/network/port_relay.ts';
import type { PodConnection } from '../../src/streaming/portforward/forwarder.ts';
import { eventually } from '../support/wait.ts';
import { sh, TestNamespaces } from './host.ts';

/** Answers "got N bytes: <first line>" once the client has ended its side. */
const serverScript = `require('node:net').createServer({ allowHalfOpen: true }, (s) => {
  const parts = []; s.on('data', (d) => parts.push(d));
  s.on('end', () => { const all = Buffer.concat(parts); s.end('got ' + all.length + ' bytes: ' + all.toString().split('\\n')[0]); });
}).listen(7000, '127.0.0.1', () => console.log('listening'));
require('node:net').createServer((s) => s.end(Buffer.alloc(4 * 1024 * 1024, 121))).listen(7002, '127.0.0.1');`;

describe('PortRelays into a real network namespace', () => {
  const namespaces = new TestNamespaces('ppdrelay');
  let dir: string;
  let netnsPath: string;
  let netnsName: string;
  let server: ChildProcess;
  let relays: PortRelays;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'peapod-relays-'));
    const ns = await namespaces.add('a');
    netnsPath = ns.path;
    netnsName = ns.name;
    await sh('ip', ['netns', 'exec', ns.name, 'ip', 'link', 'set', 'lo', 'up']);
    server = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', serverScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(server.stdout!, 'data');
    relays = new PortRelays(join(dir, 'relays'));
  });

  after(async () => {
    await relays.close();
    server.kill('SIGKILL');
    await namespaces.deleteAll();
    await rm(dir, { recursive: true, force: true });
  });

  test('bytes reach the port and come back; the end of input is a half-close', async () => {
    assert.deepEqual(await exchange(relays.dial(netnsPath, 7000), 'hello\nworld\n'), { reply: 'got 12 bytes: hello', failure: undefined });
  });

  test('a large transfer, and 20 connections at once through one relay', async () => {
    const big = `${'x'.repeat(3 * 1024 * 1024)}\n`;
    const reply = (await exchange(relays.dial(netnsPath, 7000), big)).reply;
    assert.ok(reply === `got ${big.length} bytes: ${big.trimEnd()}`, `${reply.length} bytes of reply`);
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => exchange(relays.dial(netnsPath, 7000), `conn ${i}\n`)));
    assert.deepEqual(replies.map((r) => r.reply), Array.from({ length: 20 }, (_, i) => `got ${`conn ${i}\n`.length} bytes: conn ${i}`));
    assert.equal((await relayProcesses(join(dir, 'relays'))).length, 1);
  });

  test('the connection is over only once its output was all read, also when the reader lags', async () => {
    const connection = relays.dial(netnsPath, 7002);
    connection.input.end();
    // The pod's side sends 4 MiB and closes at once; the reader takes a moment per chunk.
    let read = 0;
    const slow = new Writable({ highWaterMark: 1024, write: (chunk: Buffer, _encoding, done) => { read += chunk.length; setTimeout(done, 2); } });
    connection.output.pipe(slow);
    await connection.ended;
    assert.equal(read, 4 * 1024 * 1024, 'everything was read by the time the connection is over');
  });

  test('a port nobody listens on: the kubelet\'s connect failure, no output', async () => {
    const result = await exchange(relays.dial(netnsPath, 7001), 'x');
    assert.deepEqual(result, {
      reply: '',
      failure: `failed to connect to localhost:7001 inside namespace ${JSON.stringify(netnsPath)}, IPv4: dial tcp4 127.0.0.1:7001: connect: connection refused`,
    });
  });

  test('an idle relay ends by itself and its socket goes; the next dial starts another', async () => {
    const idle = new PortRelays(join(dir, 'idle'), { idleSeconds: 1 });
    try {
      await exchange(idle.dial(netnsPath, 7000), 'before\n');
      await eventually('the idle relay gone', async () => ((await relayProcesses(join(dir, 'idle'))).length === 0 && (await readdir(join(dir, 'idle'))).length === 0 ? true : undefined), 10_000, 100);
      assert.equal((await exchange(idle.dial(netnsPath, 7000), 'after\n')).reply, 'got 6 bytes: after');
    } finally {
      await idle.close();
    }
  });

  test('a relay entered through /proc/PID/ns/net ends once that process is gone', async () => {
    const holder = spawn('ip', ['netns', 'exec', netnsName, 'sleep', '300'], { stdio: 'ignore' });
    await eventually('the holder in the namespace', async () => ((await sh('readlink', [`/proc/${holder.pid}/ns/net`])) === (await sh('ip', ['netns', 'exec', netnsName, 'readlink', '/proc/self/ns/net'])) ? true : undefined), 5_000, 20);
    const lasting = new PortRelays(join(dir, 'held'), { idleSeconds: 3600 });
    assert.equal((await exchange(lasting.dial(`/proc/${holder.pid}/ns/net`, 7000), 'held\n')).reply, 'got 5 bytes: held');
    assert.equal((await relayProcesses(join(dir, 'held'))).length, 1);
    holder.kill('SIGKILL');
    await eventually('the relay gone with its holder', async () => ((await relayProcesses(join(dir, 'held'))).length === 0 ? true : undefined), 10_000, 100);
    await lasting.close();
  });

  test('close() ends the relays', async () => {
    const other = new PortRelays(join(dir, 'other'));
    await exchange(other.dial(netnsPath, 7000), 'x\n');
    assert.equal((await relayProcesses(join(dir, 'other'))).length, 1);
    await other.close();
    assert.deepEqual(await relayProcesses(join(dir, 'other')), []);
    assert.deepEqual(await readdir(join(dir, 'other')), []);
  });
});

/** Writes `text`, ends the input, and collects the whole reply and how the connection ended. */
async function exchange(connection: PodConnection, text: string): Promise<{ reply: string; failure: string | undefined }> {
  let reply = '';
  connection.output.on('data', (chunk: Buffer) => (reply += chunk.toString()));
  connection.input.on('error', () => undefined);
  connection.input.end(text);
  const failure = await connection.ended;
  return { reply, failure };
}

/** Relay processes (not their per-connection children) whose working directory is under `dir`. */
async function relayProcesses(dir: string): Promise<string[]> {
  const out = await sh('ps', ['-eo', 'pid,ppid,args']);
  const lines = out.split('\n').filter((l) => l.includes('port_relay.pl'));
  const pids = new Set(lines.map((l) => l.trim().split(/\s+/)[0]));
  const parents = lines.filter((l) => !pids.has(l.trim().split(/\s+/)[1]!)).map((l) => l.trim().split(/\s+/)[0]!);
  const ours: string[] = [];
  for (const pid of parents) {
    const cwd = await sh('readlink', [`/proc/${pid}/cwd`]).catch(() => '');
    if (cwd.trim().startsWith(dir)) ours.push(pid);
  }
  return ours;
}
