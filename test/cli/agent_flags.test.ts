// The node agent's flags: defaults (the kubelet's), and a clear refusal of a bad value before anything starts.
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

  test('log rotation defaults: 10Mi, 5 files, every 10 s', () => {
    assert.deepEqual(parseAgentFlags(defaults).containerLogs, { maxSize: 10 * 1024 * 1024, maxFiles: 5, monitorIntervalMs: 10_000 });
  });

  test('log rotation flags: quantities, file counts, Go durations; a negative size turns rotation off', () => {
    const flags = parseAgentFlags({ ...defaults, 'container-log-max-size': '1k', 'container-log-max-files': '2', 'container-log-monitor-interval': '3s' });
    assert.deepEqual(flags.containerLogs, { maxSize: 1000, maxFiles: 2, monitorIntervalMs: 3000 });
    assert.equal(parseAgentFlags({ ...defaults, 'container-log-max-size': '-1' }).containerLogs, undefined);
  });

  test('log rotation flags the kubelet refuses', () => {
    assert.throws(() => parseAgentFlags({ ...defaults, 'container-log-max-size': '10 MB' }), {
      message: `--container-log-max-size: failed to parse container log max size "10 MB": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    });
    assert.throws(() => parseAgentFlags({ ...defaults, 'container-log-max-files': '1' }), { message: '--container-log-max-files: invalid MaxFiles 1, must be > 1' });
    assert.throws(() => parseAgentFlags({ ...defaults, 'container-log-max-files': 'many' }), { message: '--container-log-max-files: invalid MaxFiles many, must be > 1' });
    for (const interval of ['1s', 'often']) {
      assert.throws(() => parseAgentFlags({ ...defaults, 'container-log-monitor-interval': interval }), {
        message: '--container-log-monitor-interval: invalid configuration: containerLogMonitorInterval must be a positive time duration greater than or equal to 3s',
      });
    }
  });
});
