// conmon's ctl fifo as the agent writes it: resize lines, the last size sent once more after a
// burst (conmon 2.1.6 may end on an earlier size of a burst), nothing written and no hang when
// no conmon reads the fifo.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { terminalResizer } from '../../src/agent/runtime/conmon/ctl.ts';
import { eventually } from '../support/wait.ts';

let bundle: string;
before(async () => {
  bundle = await mkdtemp(join(tmpdir(), 'peapod-ctl-'));
  execFileSync('mkfifo', [join(bundle, 'ctl')]);
});
after(() => rm(bundle, { recursive: true, force: true }));

test('a burst of resizes goes out in order, then the last once more', async () => {
  // Opened without blocking (a blocking open of a fifo waits for a writer), read as a pipe; a
  // writer of its own held open, as conmon holds one, so that a writer's close is no end of file.
  const reader = new Socket({ fd: openSync(join(bundle, 'ctl'), constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false });
  const keepOpen = openSync(join(bundle, 'ctl'), constants.O_WRONLY);
  let text = '';
  reader.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const resizer = terminalResizer(bundle);
  await resizer.resize({ width: 91, height: 31 });
  await resizer.resize({ width: 90, height: 30 });
  await eventually('the settling resend', async () => (text.split('\n').length === 4 ? true : undefined), 5_000, 20);
  assert.equal(text, '1 31 91\n1 30 90\n1 30 90\n');
  resizer.stop();
  closeSync(keepOpen);
  reader.destroy();
});

test('without a reader (conmon gone) a resize neither fails nor hangs', async () => {
  const resizer = terminalResizer(bundle);
  await resizer.resize({ width: 80, height: 24 });
  resizer.stop();
  const gone = terminalResizer(join(bundle, 'nowhere'));
  await gone.resize({ width: 80, height: 24 });
  gone.stop();
});
