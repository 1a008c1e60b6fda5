// What every kubectl test group gets: the suite's server and kubectl shorthands whose failures
// show kubectl's own output.
import assert from 'node:assert/strict';
import { kubectl, type KubectlOptions, type KubectlResult } from '../../support/kubectl.ts';
import type { TestServer } from '../../support/server.ts';

/** kubectl's AGE cell (HumanDuration) for objects created during the test run. */
export const age = String.raw`(?:\d+s|\d+m(?:\d+s)?)`;

export class Cluster {
  private current: TestServer | undefined;

  set server(server: TestServer) {
    this.current = server;
  }

  get server(): TestServer {
    if (!this.current) throw new Error('the suite server is not started');
    return this.current;
  }

  /** Stops the server if it ever started (a failed start leaves nothing to stop). */
  async stop(): Promise<void> {
    const server = this.current;
    this.current = undefined;
    await server?.stop();
  }

  run(args: string[], options?: KubectlOptions): Promise<KubectlResult> {
    return kubectl(this.server, args, options);
  }

  /** Runs kubectl and asserts exit code 0; returns its output. */
  async ok(args: string[], options?: KubectlOptions): Promise<KubectlResult> {
    const result = await this.run(args, options);
    assert.equal(result.code, 0, `kubectl ${args.join(' ')} failed:\n${result.stderr}${result.stdout}`);
    return result;
  }

  /** `kubectl create -f -` of the manifest; asserts it printed exactly `expected` lines. */
  async create(manifest: string, expected: string[]): Promise<void> {
    const result = await this.ok(['create', '-f', '-'], { input: manifest });
    assert.equal(result.stdout, lines(expected));
  }

  /** `kubectl get pod NAME -o jsonpath=TEMPLATE` output. */
  async jsonpath(name: string, template: string, namespace = 'default'): Promise<string> {
    const result = await this.ok(['get', 'pod', name, '-n', namespace, '-o', `jsonpath=${template}`]);
    return result.stdout;
  }

  /** Asserts `kubectl get pod NAME` fails with kubectl's NotFound line. */
  async assertPodAbsent(name: string, namespace = 'default'): Promise<void> {
    const result = await this.run(['get', 'pod', name, '-n', namespace]);
    assert.deepEqual(
      { code: result.code, stdout: result.stdout, stderr: result.stderr },
      { code: 1, stdout: '', stderr: `Error from server (NotFound): pods "${name}" not found\n` },
    );
  }
}

/** Lines as kubectl prints them: each ended by a newline. */
export function lines(items: string[]): string {
  return items.map((line) => `${line}\n`).join('');
}
