// Reading the cluster over time and in prose: get -w, describe (with the scheduler's event), explain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlWatch } from '../../support/kubectl.ts';
import { podManifest, unschedulableSelector } from '../../support/manifests.ts';
import { eventually } from '../../support/wait.ts';
import { age, type Cluster } from './context.ts';

export function observeTests(cluster: Cluster): void {
  test('get -w prints the existing row, then a row per change', async () => {
    await cluster.create(podManifest('w1', { labels: { suite: 'watch' } }), ['pod/w1 created']);
    const watch = kubectlWatch(cluster.server, ['pods', '-l', 'suite=watch', '-L', 'step']);
    try {
      assert.equal(await watch.stdoutLines.take('the table header'), 'NAME   READY   STATUS    RESTARTS   AGE   STEP');
      assert.match(await watch.stdoutLines.take('the row of w1'), new RegExp(`^w1     0/1     Pending   0          ${age} *$`));

      assert.equal((await cluster.ok(['label', 'pod', 'w1', 'step=1'])).stdout, 'pod/w1 labeled\n');
      await watch.stdoutLines.take('a row of w1 with STEP 1', (line) => new RegExp(`^w1 +0/1 +Pending +0 +${age} +1$`).test(line));

      await cluster.create(podManifest('w2', { labels: { suite: 'watch', step: '2' } }), ['pod/w2 created']);
      await watch.stdoutLines.take('a row of the new pod w2', (line) => new RegExp(`^w2 +0/1 +Pending +0 +${age} +2$`).test(line));
      const other = watch.stdoutLines.received.filter((line) => !/^w[12] /.test(line));
      assert.deepEqual(other, [], 'only pod rows after the header');
    } finally {
      const result = await watch.kill();
      assert.equal(result.stderr, '', 'get -w wrote to stderr');
    }
  });

  test('the scheduler binds a pod to a ready node that matches, and says so in describe', async () => {
    const node = [
      'apiVersion: v1', 'kind: Node', 'metadata:', '  name: sched-node', '  labels:', '    peapod.test/pool: sched',
      'status:', '  capacity: {cpu: "2", memory: 4Gi, pods: "110"}', '  conditions:', '  - {type: Ready, status: "True"}', '',
    ].join('\n');
    await cluster.create(node, ['node/sched-node created']);
    const pod = podManifest('placed').replace(`${unschedulableSelector}: "true"`, 'peapod.test/pool: sched');
    await cluster.create(pod, ['pod/placed created']);
    await eventually('pod placed bound to sched-node', async () => (await cluster.jsonpath('placed', '{.spec.nodeName}')) === 'sched-node' || undefined, 15_000, 100);
    const scheduled = await eventually('the Scheduled event', async () => {
      const out = (await cluster.ok(['describe', 'pod', 'placed'])).stdout;
      return /^ {2}Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/placed to sched-node$/m.test(out) ? out : undefined;
    }, 15_000, 250);
    assert.match(scheduled, /^Node:\s+sched-node\/?$/m);
    assert.match(scheduled, /^ {2}PodScheduled\s+True\s*$/m);
  });

  test('describe pod shows its details and the FailedScheduling event', async () => {
    await cluster.create(podManifest('desc', { labels: { app: 'desc' } }), ['pod/desc created']);
    let last = '';
    const describe = async () => {
      last = (await cluster.ok(['describe', 'pod', 'desc'])).stdout;
      return last;
    };
    const text = await describe();
    for (const line of [
      /^Name:\s+desc$/m,
      /^Namespace:\s+default$/m,
      /^Node:\s+<none>$/m,
      /^Labels:\s+app=desc$/m,
      /^Annotations:\s+<none>$/m,
      /^Status:\s+Pending$/m,
      /^Containers:\n {2}app:\n/m,
      /^ {4}Image:\s+nginx:1\.25$/m,
      /^ {4}Port:\s+<none>$/m,
      /^QoS Class:\s+BestEffort$/m,
      new RegExp(`^Node-Selectors:\\s+${unschedulableSelector.replace(/[./]/g, '\\$&')}=true$`, 'm'),
      /^Events:/m,
    ]) {
      assert.match(text, line);
    }
    await eventually('a FailedScheduling event in describe pod desc', async () => {
      const out = await describe();
      return /^ {2}Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+\S/m.test(out) ? out : undefined;
    }, 15_000, 250).catch((err: Error) => assert.fail(`${err.message}; last output:\n${last}`));
    assert.match(last, /^Events:\n {2}Type\s+Reason\s+Age\s+From\s+Message\n {2}----\s+------\s+----\s+----\s+-------\n/m);
    assert.match(last, /^Conditions:\n {2}Type\s+Status\n {2}PodScheduled\s+False\s*$/m);
  });

  test('explain pod.spec.containers', async () => {
    const { stdout } = await cluster.ok(['explain', 'pod.spec.containers']);
    const text = stdout.split('\n');
    assert.equal(text[0], 'KIND:       Pod');
    assert.equal(text[1], 'VERSION:    v1');
    assert.ok(text.includes('FIELD: containers <[]Container>'), stdout);
    assert.ok(text.includes('DESCRIPTION:'), stdout);
    assert.match(stdout.replace(/\s+/g, ' '), /List of containers belonging to the pod\. Containers cannot currently be added or removed\./);
    assert.ok(text.includes('FIELDS:'), stdout);
    assert.match(stdout, /^ {2}image\s+<string>$/m);
    assert.match(stdout, /^ {2}name\s+<string> -required-$/m);
    assert.match(stdout, /^ {2}ports\s+<\[\]ContainerPort>$/m);
  });
}
