import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTable, rowWhere } from './table.ts';

const podsWide = [
  'NAME   READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES',
  'web    0/1     Pending   0          5s    <none>   <none>   <none>           <none>',
  '',
].join('\n');

test('parseTable reads kubectl columns, including names with spaces and empty cells', () => {
  assert.deepEqual(parseTable(podsWide), [
    { NAME: 'web', READY: '0/1', STATUS: 'Pending', RESTARTS: '0', AGE: '5s', IP: '<none>', NODE: '<none>', 'NOMINATED NODE': '<none>', 'READINESS GATES': '<none>' },
  ]);
  const resources = 'NAME     SHORTNAMES   APIVERSION               NAMESPACED   KIND\nleases                coordination.k8s.io/v1   true         Lease\n';
  assert.deepEqual(rowWhere(parseTable(resources), 'NAME', 'leases'), {
    NAME: 'leases',
    SHORTNAMES: '',
    APIVERSION: 'coordination.k8s.io/v1',
    NAMESPACED: 'true',
    KIND: 'Lease',
  });
});

test('parseTable rejects rows that are not aligned with the header', () => {
  assert.throws(() => parseTable('NAME   READY\nweb     0/1\n'), /starts right of its header/);
  assert.throws(() => parseTable('NAME   READY\nwebsite0/1\n'), /runs into it/);
  assert.throws(() => parseTable('NAME  READY\nweb   0/1\n'), /padding of 3/);
});
