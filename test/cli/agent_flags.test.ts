// The node agent's flags: defaults, and a clear refusal of a bad value before anything starts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAgentFlags } from '../../src/cli/agent_flags.ts';

const main = join(import.meta.dirname, '../../src/cli/main.ts');
/** What parseArgs hands over when only the defaults apply. */
const defaults = { 'kubelet-port': '10250' };

describe('agent flags', () => {
  test('--pod-max-pids: -1 (unlimited) by default, as the kubelet; any integer is taken', () => {
    assert.equal(parseAgentFlags(defaults).podPidsLimit, -1);
    assert.equal(parseAgentFlags({ ...defaults, 'pod-max-pids': '1024' }).podPidsLimit, 1024);
    assert.equal(parseAgentFlags({ ...defaults, 'pod-max-pids': '0' }).podPidsLimit, 0);
  });

  test('--pod-max-pids that is not an integer is refused', () => {
    for (const bad of ['many', '1.5', '', '1e3']) {
      assert.throws(() => parseAgentFlags({ ...defaults, 'pod-max-pids': bad }), { message: `--pod-max-pids: not an integer: ${bad}` });
    }
  });

  test('peapod server exits 1 with the reason before it serves', () => {
    const run = spawnSync(process.execPath, [main, 'server', '--pod-max-pids', 'many'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 1);
    assert.equal(run.stderr.trim(), 'peapod server: --pod-max-pids: not an integer: many');
  });
});
