// The SQLite store: the shared conformance suite, plus what only an embedded file store has to
// prove — reopening keeps data and the revision counter, and acknowledged writes survive kill -9.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openSqliteStore } from '../../src/store/sqlite/store.ts';
import { storeConformance } from './conformance.ts';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'peapod-sqlite-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

storeConformance('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'peapod-sqlite-'));
  const store = openSqliteStore(join(dir, 'state.db'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

test('sqlite: reopening keeps data, compaction and the revision counter', async (t) => {
  const path = join(await tempDir(t), 'state.db');
  const first = openSqliteStore(path);
  const a = await first.create('/registry/pods/default/a', 'a1');
  await first.update('/registry/pods/default/a', 'a2', a.modRevision);
  const gone = await first.create('/registry/pods/default/b', 'b1');
  const deleted = await first.delete(gone.key);
  await first.compact(deleted.modRevision);
  await first.close();

  const second = openSqliteStore(path);
  t.after(() => second.close());
  assert.equal(await second.currentRevision(), deleted.modRevision);
  assert.equal((await second.get(a.key))?.value, 'a2');
  assert.equal(await second.get(gone.key), undefined);
  const next = await second.create(gone.key, 'b2');
  assert.equal(next.modRevision, deleted.modRevision + 1, 'revisions continue after the compacted tombstone');
  const err = await second.list('/registry/', { revision: deleted.modRevision - 1 }).catch((e: unknown) => e);
  assert.equal((err as { code?: string }).code, 'Compacted');
});

test('sqlite: LIST of 10,000 values of 2 KiB', async (t) => {
  const store = openSqliteStore(join(await tempDir(t), 'state.db'));
  t.after(() => store.close());
  const value = JSON.stringify({ data: 'x'.repeat(2_000) });
  for (let i = 0; i < 10_000; i++) await store.create(`/registry/configmaps/bench/cm-${String(i).padStart(5, '0')}`, value);
  const started = performance.now();
  const all = await store.list('/registry/configmaps/');
  const fullMs = performance.now() - started;
  const pageStarted = performance.now();
  const page = await store.list('/registry/configmaps/', { limit: 500 });
  const pageMs = performance.now() - pageStarted;
  assert.equal(all.items.length, 10_000);
  assert.equal(page.remaining, 9_500);
  t.diagnostic(`list 10000 x 2KiB: ${fullMs.toFixed(1)} ms; first page of 500: ${pageMs.toFixed(1)} ms`);
});

test('sqlite: every acknowledged write survives kill -9', async (t) => {
  const path = join(await tempDir(t), 'state.db');
  const writer = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/acknowledged-writer.ts'), path], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => writer.once('exit', () => resolve()));
  t.after(async () => {
    writer.kill('SIGKILL');
    await exited;
  });
  let stderr = '';
  writer.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const acknowledged = new Map<string, number>();
  const enough = 300;
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: writer.stdout });
    lines.on('line', (line) => {
      const [, revision, key] = line.split(' ');
      acknowledged.set(key!, Number(revision));
      if (acknowledged.size === enough) {
        writer.kill('SIGKILL'); // mid-stream: the writer is between writes or inside one
        resolve();
      }
    });
    void exited.then(() => reject(new Error(`writer exited after ${acknowledged.size} acks: ${stderr}`)));
  });
  await exited;

  const store = openSqliteStore(path);
  t.after(() => store.close());
  for (const [key, revision] of acknowledged) {
    const kv = await store.get(key);
    assert.equal(kv?.modRevision, revision, `${key} acknowledged at revision ${revision}`);
  }
  const current = await store.currentRevision();
  assert.ok(current >= Math.max(...acknowledged.values()));
  t.diagnostic(`${acknowledged.size} acknowledged writes before kill -9; ${current} revisions on disk`);
});
