// Exec in the FakeRuntime: a scripted answer per command (FakeExecHandler) played back as an
// ExecProcess with the real one's shape — stdin read to its end first, a terminal's output on
// stdout alone with CRLF line ends, a command that cannot start rejecting `exited` with runc's words.
import { PassThrough } from 'node:stream';
import { RuntimeError, type ContainerConfig, type ExecOptions, type ExecProcess, type TerminalSize } from './runtime.ts';

export interface FakeExecResult {
  stdout?: string;
  stderr?: string;
  /** Defaults to 0. */
  exitCode?: number;
  /** Runs until killed (exit 137), for timeouts. */
  hangs?: boolean;
}

/** What `cmd` does in a container; undefined: the command does not exist there. */
export type FakeExecHandler = (container: ContainerConfig, cmd: string[], input: { stdin: string; size?: TerminalSize }) => FakeExecResult | undefined;

export function fakeExec(container: ContainerConfig, options: ExecOptions, handler: FakeExecHandler): ExecProcess {
  const stdin = options.stdin === true ? new PassThrough() : undefined;
  const stdout = new PassThrough();
  const stderr = options.tty === true ? undefined : new PassThrough();
  let size = options.size;
  let finish: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve, reject) => {
    finish = resolve;
    void readAll(stdin).then((input) => {
      const result = handler(container, options.cmd, { stdin: input, size });
      if (result === undefined) {
        end(stdout, stderr);
        reject(new RuntimeError('Failed', `exec failed: unable to start container process: exec: ${JSON.stringify(options.cmd[0] ?? '')}: executable file not found in $PATH`));
        return;
      }
      write(options.tty === true, result, stdout, stderr);
      if (result.hangs !== true) {
        end(stdout, stderr);
        resolve(result.exitCode ?? 0);
      }
    });
  });
  exited.catch(() => undefined);
  return {
    stdin, stdout, stderr, exited,
    resize: async (next) => { size = next; },
    kill: () => { end(stdout, stderr); finish(137); },
  };
}

function write(tty: boolean, result: FakeExecResult, stdout: PassThrough, stderr: PassThrough | undefined): void {
  const crlf = (text: string) => (tty ? text.replaceAll('\n', '\r\n') : text);
  if (result.stdout) stdout.write(crlf(result.stdout));
  if (result.stderr) (stderr ?? stdout).write(crlf(result.stderr));
}

function end(stdout: PassThrough, stderr: PassThrough | undefined): void {
  stdout.end();
  stderr?.end();
}

async function readAll(stream: PassThrough | undefined): Promise<string> {
  if (stream === undefined) return '';
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}
