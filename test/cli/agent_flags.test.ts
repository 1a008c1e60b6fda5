// The agent's flags for container log rotation, with the kubelet's defaults and its refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAgentFlags } from '../../src/cli/agent_flags.ts';

const base = { 'node-name': 'n', 'node-ip': '127.0.0.1', 'kubelet-port': '10250' };

test('log rotation defaults: 10Mi, 5 files, every 10 s', () => {
  assert.deepEqual(parseAgentFlags(base).containerLogs, { maxSize: 10 * 1024 * 1024, maxFiles: 5, monitorIntervalMs: 10_000 });
});

test('log rotation flags: quantities, file counts, Go durations; a negative size turns rotation off', () => {
  const flags = parseAgentFlags({ ...base, 'container-log-max-size': '1k', 'container-log-max-files': '2', 'container-log-monitor-interval': '3s' });
  assert.deepEqual(flags.containerLogs, { maxSize: 1000, maxFiles: 2, monitorIntervalMs: 3000 });
  assert.equal(parseAgentFlags({ ...base, 'container-log-max-size': '-1' }).containerLogs, undefined);
});

test('log rotation flags the kubelet refuses', () => {
  assert.throws(() => parseAgentFlags({ ...base, 'container-log-max-size': '10 MB' }), {
    message: `--container-log-max-size: failed to parse container log max size "10 MB": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
  });
  assert.throws(() => parseAgentFlags({ ...base, 'container-log-max-files': '1' }), { message: '--container-log-max-files: invalid MaxFiles 1, must be > 1' });
  assert.throws(() => parseAgentFlags({ ...base, 'container-log-max-files': 'many' }), { message: '--container-log-max-files: invalid MaxFiles many, must be > 1' });
  for (const interval of ['1s', 'often']) {
    assert.throws(() => parseAgentFlags({ ...base, 'container-log-monitor-interval': interval }), {
      message: '--container-log-monitor-interval: invalid configuration: containerLogMonitorInterval must be a positive time duration greater than or equal to 3s',
    });
  }
});
