// The whole suite: type-check, then every test file under test/ with node's test runner.
// Test files are independent (each starts its own servers on free ports), so they run in parallel;
// they share one registry holding the test images (PEAPOD_TEST_REGISTRY).
import { spawn, spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';
import { startTestRegistry } from '../test/support/images.ts';

const filter = process.argv.slice(2);
const typecheck = spawnSync('tsc', ['--noEmit', '-p', '.'], { stdio: 'inherit' });
if (typecheck.status !== 0) {
  console.error('type check failed');
  process.exit(1);
}
const files = globSync('test/**/*.test.ts')
  .filter((f) => filter.length === 0 || filter.some((pattern) => f.includes(pattern)))
  .sort();
// Three files at once: on a 2-core machine four real-node files stretched the timing tests past their bounds.
const concurrency = process.env.PEAPOD_TEST_CONCURRENCY ?? '3';
const registry = await startTestRegistry();
const child = spawn(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...files], {
  stdio: 'inherit',
  env: { ...process.env, PEAPOD_TEST_REGISTRY: registry.host },
});
const code = await new Promise<number>((resolve) => child.once('exit', (status) => resolve(status ?? 1)));
await registry.stop();
process.exit(code);
