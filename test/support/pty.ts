// The real kubectl on a real pseudo-terminal, as a user runs `kubectl exec -it` or `attach -it`:
// util-linux `script` opens the pty and runs kubectl on it; what the test writes is typed on
// that terminal, and everything the terminal shows comes back. A resize sets the size of
// kubectl's terminal (stty -F on its pts), which sends kubectl SIGWINCH, as a terminal window does.
//
//   test ══pipes══▶ script ══pty══▶ kubectl (raw mode) ══WebSocket/SPDY══▶ API server ─▶ agent
import { spawn } from 'node:child_process';
import { readFile, readlink } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { kubectlCommand, type KubectlTarget, type KubectlVersion } from './kubectl.ts';

export interface TerminalSize {
  rows: number;
  cols: number;
}

export interface PtyKubectl {
  /** Types text on the terminal ("\r" is the Enter key in raw mode). */
  type(text: string): void;
  /** Everything the terminal showed so far. */
  screen(): string;
  /** Waits until the screen matches, typing `nudge` (if given) on every try. */
  shows(pattern: RegExp, nudge?: string, timeoutMs?: number): Promise<string>;
  /** Sets the terminal's size; kubectl gets SIGWINCH. */
  resize(size: TerminalSize): Promise<void>;
  /** kubectl's exit code (script returns it) and the whole screen. */
  readonly exited: Promise<{ code: number; screen: string }>;
  /** SIGKILL to kubectl (script then ends too). */
  kill(): Promise<void>;
}

export function kubectlInPty(target: KubectlTarget, args: string[], options: { version?: KubectlVersion; size: TerminalSize }): PtyKubectl {
  const { binary, argv, env } = kubectlCommand(target, args, options.version);
  const command = `stty rows ${options.size.rows} cols ${options.size.cols} && exec ${[binary, ...argv].map(shellQuote).join(' ')}`;
  const script = spawn('script', ['--quiet', '--flush', '--return', '--command', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...env, SHELL: '/bin/sh' } });
  let screen = '';
  script.stdout.setEncoding('utf8').on('data', (text: string) => (screen += text));
  script.stderr.setEncoding('utf8').on('data', (text: string) => (screen += text));
  script.stdin.on('error', () => undefined);
  const exited = new Promise<{ code: number; screen: string }>((resolve, reject) => {
    script.once('error', reject);
    script.once('close', (code, signal) => resolve({ code: code ?? 128 + (signal === 'SIGKILL' ? 9 : 15), screen }));
  });
  const kubectlPid = () => kubectlProcess(script.pid);
  return {
    type: (text) => void script.stdin.write(text),
    screen: () => screen,
    async shows(pattern, nudge, timeoutMs = 20_000) {
      for (const deadline = Date.now() + timeoutMs; ; await delay(100)) {
        // Seen once under load: kubectl's own terminal not (yet) raw, its ONLCR turning the remote
        // terminal's \r\n into \r\r\n. That is kubectl's local side, not what the server sent.
        const match = pattern.exec(screen.replaceAll('\r\r\n', '\r\n'));
        if (match) return match[0];
        if (Date.now() > deadline || script.exitCode !== null) throw new Error(`the terminal never showed ${pattern}:\n${JSON.stringify(screen)}`);
        if (nudge !== undefined) script.stdin.write(nudge);
      }
    },
    async resize(size) {
      const pts = await readlink(`/proc/${await kubectlPid()}/fd/0`);
      await run('stty', ['-F', pts, 'rows', String(size.rows), 'cols', String(size.cols)]);
    },
    exited,
    async kill() {
      const pid = await kubectlPid().catch(() => undefined);
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
      await exited;
    },
  };
}

/** The kubectl that script runs: its child, once the shell exec'd it. */
async function kubectlProcess(scriptPid: number | undefined): Promise<number> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await delay(20)) {
    const children = await readFile(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').catch(() => '');
    const pid = Number(children.trim().split(' ')[0]);
    if (pid > 0 && (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).startsWith('kubectl')) return pid;
  }
  throw new Error(`no kubectl under script (pid ${scriptPid})`);
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim()}`))));
  });
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
