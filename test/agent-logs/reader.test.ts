// The CRI log reader on crafted files: joining partial records, tail (backwards, across chunk
// boundaries), since, timestamps, limitBytes, rotated files (plain and gzipped), and follow with
// appends, exit, a restart and a rotation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readContainerLogs, type ContainerLogFile, type ReadControl } from '../../src/agent/logs/reader.ts';
import { logOptionsFrom, type LogOptions } from '../../src/agent/logs/options.ts';
import { formatTimestamp, parseRecord } from '../../src/agent/logs/cri.ts';

let dir: string;
let n = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'peapod-logs-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A new container directory with 0.log holding `text`. */
async function logFile(text: string): Promise<string> {
  const containerDir = join(dir, `c${n++}`);
  await mkdir(containerDir);
  const path = join(containerDir, '0.log');
  await writeFile(path, text);
  return path;
}

const options = (more: Partial<LogOptions> = {}): LogOptions => ({ ...logOptionsFrom({}, new Date()), ...more });

async function readAll(file: ContainerLogFile, opts: LogOptions, control: ReadControl = {}): Promise<string> {
  let text = '';
  for await (const chunk of readContainerLogs(file, opts, control)) text += chunk.toString();
  return text;
}

const rec = (second: number, stream: string, tag: string, text: string) =>
  `2026-11-23T14:00:${String(second).padStart(2, '0')}.123456789Z ${stream} ${tag} ${text}\n`;

describe('CRI records', () => {
  test('parse the fields and the tag, content may be empty', () => {
    const r = parseRecord(Buffer.from('2026-11-23T09:22:46.336535595+00:00 stderr P: hello world\n'));
    assert.equal(r?.stream, 'stderr');
    assert.equal(r?.partial, true);
    assert.equal(r?.content.toString(), 'hello world');
    assert.equal(parseRecord(Buffer.from('2026-11-23T09:22:46Z stdout F\n'))?.content.length, 0);
    assert.equal(parseRecord(Buffer.from('not a record\n')), undefined);
    assert.equal(parseRecord(Buffer.from('2026-11-23T09:22:46Z stdin F x\n')), undefined);
  });

  test('timestamps print with nine fraction digits, UTC as Z', () => {
    assert.equal(formatTimestamp('2026-11-23T09:22:46.3365+00:00'), '2026-11-23T09:22:46.336500000Z');
    assert.equal(formatTimestamp('2026-11-23T09:22:46Z'), '2026-11-23T09:22:46.000000000Z');
    assert.equal(formatTimestamp('2026-11-23T09:22:46.1+02:00'), '2026-11-23T09:22:46.100000000+02:00');
  });
});

describe('reading a log file', () => {
  test('streams merge in file order, partial records join, bad lines are skipped', async () => {
    const path = await logFile(rec(1, 'stdout', 'P', 'hel') + rec(2, 'stderr', 'F', 'oops') + 'garbage\n' +
      rec(3, 'stdout', 'P', 'lo ') + rec(4, 'stdout', 'F', 'world') + rec(5, 'stdout', 'F', ''));
    assert.equal(await readAll({ path }, options()), 'oops\nhello world\n\n');
  });

  test('timestamps prefix each line with the time its first record was written', async () => {
    const path = await logFile(rec(1, 'stdout', 'P', 'a') + rec(2, 'stdout', 'F', 'b'));
    assert.equal(await readAll({ path }, options({ timestamps: true })), '2026-11-23T14:00:01.123456789Z ab\n');
  });

  test('an unterminated last line is shown as it is', async () => {
    const path = await logFile(rec(1, 'stdout', 'F', 'one') + rec(2, 'stdout', 'P', 'half'));
    assert.equal(await readAll({ path }, options()), 'one\nhalf');
  });

  test('tail reads backwards across chunk boundaries', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => rec(i % 60, i % 3 ? 'stdout' : 'stderr', 'F', `line ${i}`));
    const path = await logFile(lines.join(''));
    for (const chunkSize of [7, 64, 1000, 65536]) {
      assert.equal(await readAll({ path }, options({ tailLines: 3 }), { chunkSize }), 'line 497\nline 498\nline 499\n', `chunk ${chunkSize}`);
    }
    assert.equal(await readAll({ path }, options({ tailLines: 0 })), '');
    assert.equal((await readAll({ path }, options({ tailLines: 10_000 }), { chunkSize: 13 })).split('\n').length, 501);
  });

  test('tail counts joined lines, also when the streams interleave', async () => {
    const path = await logFile(rec(1, 'stdout', 'F', 'old') + rec(2, 'stdout', 'P', 'a') + rec(3, 'stderr', 'F', 'x') +
      rec(4, 'stdout', 'P', 'b') + rec(5, 'stdout', 'F', 'c'));
    assert.equal(await readAll({ path }, options({ tailLines: 1 }), { chunkSize: 16 }), 'abc\n');
    assert.equal(await readAll({ path }, options({ tailLines: 2 }), { chunkSize: 16 }), 'x\nabc\n');
    assert.equal(await readAll({ path }, options({ tailLines: 3 }), { chunkSize: 16 }), 'old\nx\nabc\n');
  });

  test('tail of a stream selection counts only that stream', async () => {
    const path = await logFile(rec(1, 'stdout', 'F', 'o1') + rec(2, 'stderr', 'F', 'e1') + rec(3, 'stdout', 'F', 'o2') + rec(4, 'stderr', 'F', 'e2'));
    assert.equal(await readAll({ path }, options({ tailLines: 2, streams: ['stderr'] })), 'e1\ne2\n');
  });

  test('since leaves out older lines; a later sinceTime wins over sinceSeconds', async () => {
    const path = await logFile(rec(1, 'stdout', 'F', 'early') + rec(30, 'stdout', 'F', 'late'));
    assert.equal(await readAll({ path }, options({ since: new Date('2026-11-23T14:00:10Z') })), 'late\n');
    assert.equal(await readAll({ path }, options({ since: new Date('2026-11-23T14:00:01.123Z') })), 'early\nlate\n');
    const opts = logOptionsFrom({ sinceSeconds: 3600, sinceTime: '2026-11-23T14:00:10Z' }, new Date('2026-11-23T14:00:20Z'));
    assert.deepEqual(opts.since, new Date('2026-11-23T14:00:10Z'));
  });

  test('limitBytes cuts the output, counting the timestamp prefix', async () => {
    const path = await logFile(rec(1, 'stdout', 'F', 'hello') + rec(2, 'stdout', 'F', 'world'));
    assert.equal(await readAll({ path }, options({ limitBytes: 8 })), 'hello\nwo');
    assert.equal(await readAll({ path }, options({ limitBytes: 4, timestamps: true })), '2026');
  });
});

describe('following a log file', () => {
  test('yields appended lines and ends once the container exited and the file is drained', async () => {
    const path = await logFile(rec(1, 'stdout', 'F', 'first'));
    let running = true;
    const it = readContainerLogs({ path, isRunning: () => running }, options({ follow: true }), { pollIntervalMs: 20 });
    assert.equal(String((await it.next()).value), 'first\n');
    await appendFile(path, rec(2, 'stdout', 'P', 'sec'));
    await appendFile(path, rec(3, 'stdout', 'F', 'ond'));
    assert.equal(String((await it.next()).value), 'second\n');
    // What the container writes while it exits is still read.
    await appendFile(path, rec(4, 'stdout', 'F', 'last words'));
    running = false;
    let rest = '';
    for (let r = await it.next(); !r.done; r = await it.next()) rest += String(r.value);
    assert.equal(rest, 'last words\n');
  });

  test('moves on to the next attempt file when the container restarts', async () => {
    const path = await logFile(rec(1, 'stdout', 'F', 'attempt 0'));
    let running = true;
    const it = readContainerLogs({ path, isRunning: () => running }, options({ follow: true, tailLines: 1 }), { pollIntervalMs: 20 });
    assert.equal(String((await it.next()).value), 'attempt 0\n');
    await writeFile(path.replace(/0\.log$/, '1.log'), rec(5, 'stdout', 'F', 'attempt 1'));
    assert.equal(String((await it.next()).value), 'attempt 1\n');
    running = false;
    assert.equal((await it.next()).done, true);
  });

  test('waits through the back-off after an exit while the container is to run again', async () => {
    const path = await logFile(rec(1, 'stdout', 'F', 'attempt 0'));
    let restarts = true;
    let asked = 0;
    let askedThrice: () => void = () => undefined;
    const waited = new Promise<void>((resolve) => { askedThrice = resolve; });
    const mayRestart = () => {
      if (++asked === 3) askedThrice();
      return restarts;
    };
    const it = readContainerLogs({ path, isRunning: () => false, mayRestart }, options({ follow: true }), { pollIntervalMs: 20 });
    assert.equal(String((await it.next()).value), 'attempt 0\n');
    const next = it.next();
    await waited; // the follower saw the exit three times and kept waiting
    await writeFile(path.replace(/0\.log$/, '1.log'), rec(5, 'stdout', 'F', 'attempt 1'));
    assert.equal(String((await next).value), 'attempt 1\n');
    restarts = false;
    assert.equal((await it.next()).done, true);
  });

  test('stops when the client goes away', async () => {
    const path = await logFile(rec(1, 'stdout', 'F', 'x'));
    const hangup = new AbortController();
    const it = readContainerLogs({ path, isRunning: () => true }, options({ follow: true }), { signal: hangup.signal, pollIntervalMs: 60_000 });
    assert.equal(String((await it.next()).value), 'x\n');
    const next = it.next();
    hangup.abort();
    assert.equal((await next).done, true);
  });

  test('limitBytes ends a follow', async () => {
    const path = await logFile(rec(1, 'stdout', 'F', 'abc'));
    const text = await readAll({ path, isRunning: () => true }, options({ follow: true, limitBytes: 2 }), { pollIntervalMs: 20 });
    assert.equal(text, 'ab');
  });
});

/** A log rotated twice, as the container log manager leaves it: 1-3 gzipped, 4-6 plain, 7-9 live. */
async function rotatedLog(): Promise<string> {
  const lines = (from: number) => [0, 1, 2].map((i) => rec(from + i, 'stdout', 'F', `line ${from + i}`)).join('');
  const path = await logFile(lines(7));
  await writeFile(`${path}.20261123-140001.gz`, gzipSync(lines(1)));
  await writeFile(`${path}.20261123-140004`, lines(4));
  // Leftovers of a rotation cut short: not part of the log.
  await writeFile(`${path}.20261123-140001`, 'compressed already\n');
  await writeFile(`${path}.20261123-140004.gz.tmp`, 'half a compression\n');
  return path;
}

const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join('');

describe('reading a rotated log', () => {
  test('the rotated files in use come first, oldest first, gzipped ones decompressed', async () => {
    assert.equal(await readAll({ path: await rotatedLog() }, options()), numbered(1, 9));
  });

  test('tail goes back into older files as far as it needs', async () => {
    const path = await rotatedLog();
    assert.equal(await readAll({ path }, options({ tailLines: 2 })), numbered(8, 9));
    assert.equal(await readAll({ path }, options({ tailLines: 5 })), numbered(5, 9));
    assert.equal(await readAll({ path }, options({ tailLines: 8 })), numbered(2, 9));
    assert.equal(await readAll({ path }, options({ tailLines: 100 })), numbered(1, 9));
  });

  test('since and limitBytes apply across the files', async () => {
    const path = await rotatedLog();
    assert.equal(await readAll({ path }, options({ since: new Date('2026-11-23T14:00:03Z') })), numbered(3, 9));
    assert.equal(await readAll({ path }, options({ limitBytes: 10 })), 'line 1\nlin');
  });
});

describe('following a rotated log', () => {
  test('reads the renamed file to its end, then goes on in the new one', async () => {
    const path = await logFile(rec(1, 'stdout', 'F', 'before'));
    let running = true;
    const it = readContainerLogs({ path, isRunning: () => running }, options({ follow: true }), { pollIntervalMs: 20 });
    assert.equal(String((await it.next()).value), 'before\n');
    // The runtime writes to the renamed file until it has reopened the log.
    await rename(path, `${path}.20261123-140002`);
    await appendFile(`${path}.20261123-140002`, rec(2, 'stdout', 'F', 'written before the reopen'));
    await writeFile(path, rec(3, 'stdout', 'F', 'in the new file'));
    let text = '';
    while (!text.includes('in the new file')) text += String((await it.next()).value);
    assert.equal(text, 'written before the reopen\nin the new file\n');
    await appendFile(path, rec(4, 'stdout', 'F', 'more'));
    assert.equal(String((await it.next()).value), 'more\n');
    running = false;
    assert.equal((await it.next()).done, true);
  });

  test('caught between the rename and the reopen: the newest rotated file stands for the live one', async () => {
    const path = await rotatedLog();
    await rename(path, `${path}.20261123-140007`);
    assert.equal(await readAll({ path }, options({ tailLines: 4 })), numbered(6, 9));
    const it = readContainerLogs({ path, isRunning: () => true }, options({ follow: true, tailLines: 1 }), { pollIntervalMs: 20 });
    assert.equal(String((await it.next()).value), numbered(9, 9));
    await writeFile(path, rec(10, 'stdout', 'F', 'line 10'));
    assert.equal(String((await it.next()).value), numbered(10, 10));
    await it.return(undefined);
  });

  test('a follow with a tail starts in the rotated file when the live one is short', async () => {
    const path = await rotatedLog();
    const it = readContainerLogs({ path, isRunning: () => false }, options({ follow: true, tailLines: 4 }), { pollIntervalMs: 20 });
    let text = '';
    for (let r = await it.next(); !r.done; r = await it.next()) text += String(r.value);
    assert.equal(text, numbered(6, 9));
  });
});
