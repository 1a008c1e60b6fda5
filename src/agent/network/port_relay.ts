// Connections to ports inside pods' network namespaces, for port forwarding. Node cannot enter
// another network namespace, so one relay process per pod does it (port_relay.pl, run by
// `nsenter --net=NETNS perl`; perl-base is Essential in Debian): it is started on the first
// forwarded connection and listens on a unix socket in DIR, a file, which the agent reaches
// from the node's namespace. Starting a process per connection instead cost ≈ 100 ms of the
// agent's event loop each (fork of a large process) and capped bulk transfers.
//
//   dial(netns, port) ─▶ relay for netns (start: nsenter … perl, "ready") ─▶ connect DIR/NSID.sock
//     ─▶ "PORT\n" ─▶ "OK\n": bytes both ways | "ERR reason\n": the kubelet's connect failure
//
// Relays are keyed by the namespace's identity (its nsfs inode), not its path: a path
// /proc/PID/ns/net may name another pod's namespace once PID is reused. A relay ends by itself
// after a minute without connections, when the pod's infra process is gone (it would keep a
// stopped pod's namespace alive), or when the agent closes its stdin (close()).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { PodConnection } from '../../streaming/portforward/forwarder.ts';
import { connectFailure, dialHost } from './port_dial.ts';

const RELAY_SCRIPT = join(import.meta.dirname, 'port_relay.pl');
const CONNECT_ATTEMPTS = 10;

interface Relay {
  child: ChildProcess;
  /** The socket path to connect to, short whatever DIR is: /proc/self/fd/DIRFD/NAME. */
  socketPath: string;
}

export class PortRelays {
  private readonly dir: string;
  /** DIR held open: socket paths through /proc/self/fd stay under the 108 bytes of an address. */
  private readonly dirFd: number;
  private readonly relays = new Map<string, Promise<Relay>>();
  private readonly idleSeconds: number;

  constructor(dir: string, options: { idleSeconds?: number } = {}) {
    this.dir = dir;
    this.idleSeconds = options.idleSeconds ?? 60;
    mkdirSync(dir, { recursive: true });
    this.dirFd = openSync(dir, 'r');
  }

  /** A connection to the pod's 127.0.0.1:PORT; a pod on the node's network (netns '') is dialed directly. */
  dial(netnsPath: string, port: number): PodConnection {
    if (netnsPath === '') return dialHost(port);
    const input = new PassThrough();
    const output = new PassThrough();
    let socket: Socket | undefined;
    let closed = false;
    const ended = this.connect(netnsPath, port).then((connected) => {
      socket = connected;
      if (closed) connected.destroy();
      input.pipe(connected);
      connected.pipe(output);
      connected.on('error', () => undefined);
      connected.once('close', () => output.end());
      // Over once the reader took all of the output (or it was let go): the caller ends its
      // side then, and must not before the last bytes are through.
      return new Promise<undefined>((resolve) => output.once('close', () => resolve(undefined)));
    }, (err: unknown) => {
      output.end();
      return err instanceof RelayRefusal ? connectFailure(netnsPath, port, err.message) : `port relay: ${(err as Error).message}`;
    });
    return { input, output, ended, close: () => { closed = true; socket?.destroy(); output.destroy(); } };
  }

  /** Lets every relay go (their stdin closes) and waits for them to end. */
  async close(): Promise<void> {
    const relays = await Promise.all([...this.relays.values()].map((r) => r.catch(() => undefined)));
    this.relays.clear();
    await Promise.all(relays.map((r) => r && endRelay(r.child)));
    closeSync(this.dirFd);
  }

  /**
   * Connected and accepted by the relay. A relay that ended meanwhile (idle) is started again; a
   * busy one (its backlog full: EAGAIN) is asked again a moment later — a second relay for the
   * same namespace would take over the socket's name and leave the first listening unreached.
   */
  private async connect(netnsPath: string, port: number): Promise<Socket> {
    const key = String((await stat(netnsPath)).ino);
    for (let attempt = 1; ; attempt++) {
      const relay = await this.relay(key, netnsPath);
      try {
        return await request(relay.socketPath, port);
      } catch (err) {
        if (err instanceof RelayRefusal || attempt >= CONNECT_ATTEMPTS) throw err;
        if (relay.child.exitCode !== null || relay.child.signalCode !== null) this.relays.delete(key);
        else await delay(20 * attempt);
      }
    }
  }

  private relay(key: string, netnsPath: string): Promise<Relay> {
    let relay = this.relays.get(key);
    if (!relay) {
      relay = startRelay({ dir: this.dir, dirFd: this.dirFd, netnsPath, name: `${key}.sock`, idleSeconds: this.idleSeconds });
      this.relays.set(key, relay);
      relay.then(({ child }) => child.once('exit', () => {
        if (this.relays.get(key) === relay) this.relays.delete(key);
      }), () => this.relays.delete(key));
    }
    return relay;
  }
}

/** The relay's answer to a port it could not reach (its errno text, e.g. "Connection refused"). */
class RelayRefusal extends Error {}

interface RelayStart {
  dir: string;
  dirFd: number;
  netnsPath: string;
  /** The socket's file name in dir. */
  name: string;
  idleSeconds: number;
}

function startRelay({ dir, dirFd, netnsPath, name, idleSeconds }: RelayStart): Promise<Relay> {
  // A pod's namespace is its infra process's: the relay ends with that process.
  const holder = /^\/proc\/(\d+)\/ns\/net$/.exec(netnsPath)?.[1] ?? '0';
  const child = spawn('nsenter', [`--net=${netnsPath}`, 'perl', RELAY_SCRIPT, name, String(idleSeconds), holder], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdin!.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`relay for ${netnsPath} exited (${code}): ${stderr.trim()}`)));
    child.stdout!.setEncoding('utf8').once('data', () => resolve({ child, socketPath: `/proc/self/fd/${dirFd}/${name}` }));
  });
}

/** Connects, asks for the port, reads the relay's one-line answer; the rest is the connection's. */
function request(socketPath: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath, () => socket.write(`${port}\n`));
    let answer = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      answer = Buffer.concat([answer, chunk]);
      const newline = answer.indexOf(0x0a);
      if (newline < 0) return;
      socket.off('data', onData).off('error', reject).off('close', onClose).pause();
      const line = answer.subarray(0, newline).toString();
      if (line !== 'OK') {
        socket.destroy();
        reject(new RelayRefusal(line.replace(/^ERR /, '')));
        return;
      }
      if (newline + 1 < answer.length) socket.unshift(answer.subarray(newline + 1));
      resolve(socket);
    };
    const onClose = (): void => reject(new Error('the relay closed the connection without an answer'));
    socket.on('data', onData).once('error', reject).once('close', onClose);
  });
}

async function endRelay(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin!.end();
  await exited;
}
