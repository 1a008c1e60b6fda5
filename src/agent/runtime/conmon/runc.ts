// The runc commands the runtime issues itself; `runc create` is issued by conmon.
import { launch } from '../../launcher/launcher.ts';
import { RuntimeError } from '../runtime.ts';

export interface RuncOptions {
  /** The runc binary. */
  path: string;
  /** runc's state directory (--root); one per agent so that its containers are its own. */
  root: string;
}

export interface RuncContainer {
  id: string;
  pid: number;
  status: 'creating' | 'created' | 'running' | 'paused' | 'stopped';
}

export class Runc {
  readonly path: string;
  readonly root: string;

  constructor(options: RuncOptions) {
    this.path = options.path;
    this.root = options.root;
  }

  /** Signals the container's first process ("SIGTERM", "SIGKILL", …). */
  kill(id: string, signal: string): Promise<string> {
    return this.run(['kill', id, signal]);
  }

  /** Plain delete of a stopped container: much faster than `delete -f`, which polls. */
  delete(id: string): Promise<string> {
    return this.run(['delete', id]);
  }

  /** Kills and deletes whatever state the container is in; for leftovers of an interrupted creation. */
  forceDelete(id: string): Promise<string> {
    return this.run(['delete', '--force', id]);
  }

  /** The container's state, or undefined when runc does not know it. */
  async state(id: string): Promise<RuncContainer | undefined> {
    const out = await this.run(['state', id]).catch(() => undefined);
    return out === undefined ? undefined : JSON.parse(out) as RuncContainer;
  }

  async list(): Promise<RuncContainer[]> {
    const out = await this.run(['list', '--format', 'json']);
    const parsed: unknown = JSON.parse(out.trim() || 'null');
    return Array.isArray(parsed) ? (parsed as RuncContainer[]) : [];
  }

  private async run(args: string[]): Promise<string> {
    const result = await launch([this.path, '--root', this.root, ...args]);
    const stdout = result.stdout.toString();
    if (result.code === 0) return stdout;
    const stderr = result.stderr.toString().trim();
    throw new RuntimeError('Failed', `runc ${args.join(' ')}: ${stderr || `exit status ${result.code ?? result.signal}`}`);
  }
}
