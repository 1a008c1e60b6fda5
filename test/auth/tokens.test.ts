import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTokens, lookupToken, parseTokenFile } from '../../src/api/auth/tokens.ts';

describe('token file', () => {
  test('first start writes a node-bootstrap token (0600); later starts keep it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'peapod-tokens-'));
    try {
      const first = await ensureTokens(dir);
      assert.match(first.bootstrapToken ?? '', /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
      const path = join(dir, 'pki', 'tokens');
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.equal(await readFile(path, 'utf8'), `${first.bootstrapToken},kubelet-bootstrap,10001,"system:bootstrappers"\n`);
      const second = await ensureTokens(dir);
      assert.equal(second.bootstrapToken, first.bootstrapToken);
      assert.deepEqual(lookupToken(second, first.bootstrapToken ?? ''), { name: 'kubelet-bootstrap', uid: '10001', groups: ['system:bootstrappers'] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('parses kube-apiserver token-auth-file lines', () => {
    const tokens = parseTokenFile([
      '# comment',
      'abc,alice,1,"dev,ops"',
      'def,bob,2',
      '',
      'abc,carol,3,admins',
    ].join('\n'), 'tokens');
    assert.deepEqual(lookupToken(tokens, 'def'), { name: 'bob', uid: '2', groups: [] });
    assert.deepEqual(lookupToken(tokens, 'abc'), { name: 'carol', uid: '3', groups: ['admins'] }, 'last duplicate wins');
    assert.equal(lookupToken(tokens, 'ab'), undefined);
    assert.equal(lookupToken(tokens, ''), undefined);
    assert.equal(tokens.bootstrapToken, undefined);
    const quoted = parseTokenFile('t1,alice,1,"dev,ops"\n', 'tokens');
    assert.deepEqual(lookupToken(quoted, 't1')?.groups, ['dev', 'ops']);
  });

  test('rejects lines with fewer than three columns', () => {
    assert.throws(() => parseTokenFile('abc,alice\n', '/x/tokens'),
      /token file '\/x\/tokens' must have at least 3 columns \(token, user name, user uid\), found 2 on line 1/);
    assert.throws(() => parseTokenFile('abc,alice,1,"dev\n', 'tokens'), /unterminated quoted field/);
  });
});
