import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { containerCommand, containerEnvironment } from '../../src/agent/kuberuntime/command.ts';
import { CreateContainerError } from '../../src/agent/kuberuntime/errors.ts';
import { makeImage } from './fixtures.ts';

const image = makeImage({ Entrypoint: ['/ep-1'], Cmd: ['foo', 'bar'], WorkingDir: '/srv', Env: ['PATH=/bin', 'LANG=C'] });

describe('containerCommand', () => {
  // The table of "Define a Command and Arguments for a Container".
  const table: [string, string[] | undefined, string[] | undefined, string[], string[]][] = [
    ['neither: Entrypoint + Cmd', undefined, undefined, ['/ep-1'], ['foo', 'bar']],
    ['command only: Cmd is dropped', ['/ep-2'], undefined, ['/ep-2'], []],
    ['args only: Entrypoint + args', undefined, ['zoo', 'boo'], ['/ep-1'], ['zoo', 'boo']],
    ['both', ['/ep-2'], ['zoo', 'boo'], ['/ep-2'], ['zoo', 'boo']],
  ];
  for (const [name, command, args, wantCommand, wantArgs] of table) {
    test(name, () => {
      const got = containerCommand({ name: 'app', command, args }, image, []);
      assert.deepEqual(got, { command: wantCommand, args: wantArgs, workingDir: '/srv' });
    });
  }

  test('an Entrypoint of [""] is no entrypoint', () => {
    assert.deepEqual(containerCommand({ name: 'app' }, makeImage({ Entrypoint: [''], Cmd: ['/bin/sh'] }), []), { command: [], args: ['/bin/sh'] });
  });

  test('$(VAR) expands from the container env, not the image env', () => {
    const got = containerCommand({ name: 'app', command: ['echo', '$(GREETING)', '$(LANG)'], args: ['$$(GREETING)'] }, image, [{ key: 'GREETING', value: 'hi' }]);
    assert.deepEqual([got.command, got.args], [['echo', 'hi', '$(LANG)'], ['$(GREETING)']]);
  });

  test('the container workingDir wins over the image', () => {
    assert.equal(containerCommand({ name: 'app', workingDir: '/work' }, image, []).workingDir, '/work');
  });

  test('nothing to run', () => {
    assert.throws(() => containerCommand({ name: 'app' }, makeImage({}), []), (e: unknown) =>
      e instanceof CreateContainerError && e.reason === 'CreateContainerError' && e.message === 'failed to generate spec: no command specified');
  });
});

describe('containerEnvironment', () => {
  test('image env first, container values replace in place, new names follow', () => {
    assert.deepEqual(containerEnvironment(image, [{ key: 'LANG', value: 'C.UTF-8' }, { key: 'APP', value: '1' }]), [
      { key: 'PATH', value: '/bin' }, { key: 'LANG', value: 'C.UTF-8' }, { key: 'APP', value: '1' },
    ]);
  });
});
