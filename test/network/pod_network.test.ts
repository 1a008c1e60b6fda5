import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetworkError } from '../../src/agent/network/errors.ts';
import { PodNetwork, type PodNetworkRequest } from '../../src/agent/network/pod_network.ts';
import { allocatedIPs, bandwidthIfbs, bridgePorts, deleteLink, iptablesRules, linkExists, ping, sh, TestNamespaces } from './host.ts';

const podCidr = '10.244.231.0/24';
const cidrPrefix = '10.244.231.';
/** In every sandbox id of this process, so that its iptables rules can be told from other agents'. */
const marker = `sandbox-${process.pid}-`;
const bridgeName = 'ppdnet231';

describe('PodNetwork on real namespaces', () => {
  let stateDir: string;
  let ipamDir: string;
  let network: PodNetwork;
  const namespaces = new TestNamespaces('ppdnet');
  let seq = 0;

  before(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'peapod-network-'));
    ipamDir = join(stateDir, 'ipam', 'peapod');
    network = new PodNetwork({ podCidr, stateDir, bridgeName });
  });

  after(async () => {
    await namespaces.deleteAll();
    await deleteLink(bridgeName);
    await rm(stateDir, { recursive: true, force: true });
  });

  async function newPod(extra: Partial<PodNetworkRequest> = {}): Promise<PodNetworkRequest & { netnsName: string }> {
    const n = ++seq;
    const ns = await namespaces.add(`p${n}`);
    return {
      sandboxId: `sandbox-${process.pid}-${n}`,
      netnsPath: ns.path,
      netnsName: ns.name,
      podNamespace: 'default',
      podName: `pod-${n}`,
      podUid: `uid-${n}`,
      annotations: {},
      portMappings: [],
      ...extra,
    };
  }

  test('two pods get distinct IPs from the CIDR and reach each other', async () => {
    const a = await newPod();
    const b = await newPod();
    const [ipA, ipB] = [(await network.setUp(a)).ips, (await network.setUp(b)).ips];
    assert.equal(ipA.length, 1);
    assert.equal(ipB.length, 1);
    assert.notEqual(ipA[0], ipB[0]);
    for (const ip of [...ipA, ...ipB]) assert.match(ip, /^10\.244\.231\.\d+$/);
    assert.notEqual(ipA[0], '10.244.231.1', 'the first address is the gateway');
    await ping(a.netnsName, ipB[0]!);
    await ping(b.netnsName, ipA[0]!);
    await ping(a.netnsName, '10.244.231.1');

    // A new PodNetwork over the same state (the agent restarted) knows the IPs.
    const restarted = new PodNetwork({ podCidr, stateDir, bridgeName });
    assert.deepEqual(await restarted.podIPs(a.sandboxId), ipA);
    // A repeated setUp of a set-up sandbox returns what it has.
    assert.deepEqual((await network.setUp(a)).ips, ipA);

    await network.tearDown(a);
    await network.tearDown(b);
    assert.equal(await network.podIPs(a.sandboxId), undefined);
  });

  test('tearDown releases the IP and removes the veth, and is idempotent', async () => {
    const pod = await newPod();
    const { ips } = await network.setUp(pod);
    assert.ok((await allocatedIPs(ipamDir)).includes(ips[0]!));
    const ports = await bridgePorts(bridgeName);
    assert.equal(ports.length, 1);

    await network.tearDown(pod);
    assert.deepEqual(await allocatedIPs(ipamDir), []);
    assert.deepEqual(await bridgePorts(bridgeName), []);
    assert.equal(await linkExists(ports[0]!), false);
    await network.tearDown(pod);
    await network.tearDown({ ...pod, netnsPath: '' });
  });

  test('tearDown after the netns is gone still releases the IP and its iptables rules', async () => {
    const before = await iptablesRules(marker, cidrPrefix);
    const pod = await newPod();
    const { ips } = await network.setUp(pod);
    assert.ok((await iptablesRules(marker, cidrPrefix)).some((rule) => rule.includes(`${ips[0]}/32`)));
    await namespaces.delete(pod.netnsName);

    await network.tearDown(pod);
    assert.deepEqual(await allocatedIPs(ipamDir), []);
    assert.deepEqual(await bridgePorts(bridgeName), []);
    assert.deepEqual(await iptablesRules(marker, cidrPrefix), before);
  });

  test('bandwidth annotations install tbf on the host veth (ingress) and an ifb (egress)', async () => {
    const pod = await newPod({ annotations: { 'kubernetes.io/ingress-bandwidth': '10M', 'kubernetes.io/egress-bandwidth': '1Mi' } });
    await network.setUp(pod);
    const [veth] = await bridgePorts(bridgeName);
    assert.match(await sh('tc', ['qdisc', 'show', 'dev', veth!]), /qdisc tbf .* rate 10Mbit/);
    const ifbs = await bandwidthIfbs('peapod', [pod.sandboxId]);
    assert.equal(ifbs.length, 1);
    assert.match(await sh('tc', ['qdisc', 'show', 'dev', ifbs[0]!]), /qdisc tbf .* rate 1048Kbit/);

    await namespaces.delete(pod.netnsName);
    await network.tearDown(pod);
    assert.equal(await linkExists(ifbs[0]!), false);
  });

  test('a bad bandwidth annotation fails with the kubelet message and allocates nothing', async () => {
    const pod = await newPod({ annotations: { 'kubernetes.io/egress-bandwidth': '100' } });
    await assert.rejects(network.setUp(pod), (error: unknown) => {
      assert.ok(error instanceof NetworkError);
      assert.equal(error.code, 'InvalidBandwidth');
      assert.match(error.message, /resource is unreasonably small \(< 1kbit\)/);
      return true;
    });
    assert.deepEqual(await allocatedIPs(ipamDir), []);
    assert.equal(await network.podIPs(pod.sandboxId), undefined);
  });

  test('a plugin error surfaces with the plugin name, command and message; nothing leaks', async () => {
    const pod = await newPod({ netnsPath: '/var/run/netns/peapod-no-such-netns' });
    await assert.rejects(network.setUp(pod), (error: unknown) => {
      assert.ok(error instanceof NetworkError);
      assert.equal(error.code, 'PluginFailed');
      assert.equal(error.plugin, 'bridge');
      assert.equal(error.command, 'ADD');
      assert.match(error.message, /^plugin type="bridge" failed \(add\): .*peapod-no-such-netns/);
      return true;
    });
    assert.deepEqual(await allocatedIPs(ipamDir), []);
  });

  test('an error object from a later plugin is reported, and the earlier ones are undone', async () => {
    const pluginDir = await mkdtemp(join(tmpdir(), 'peapod-cni-'));
    try {
      for (const real of ['loopback', 'bridge', 'host-local', 'portmap']) await symlink(join('/usr/lib/cni', real), join(pluginDir, real));
      const failing = join(pluginDir, 'firewall');
      await writeFile(failing, `#!/bin/sh\ncat >/dev/null\n[ "$CNI_COMMAND" = DEL ] && exit 0\necho '{"cniVersion":"1.0.0","code":11,"msg":"chain is on fire","details":"try later"}'\nexit 1\n`);
      await chmod(failing, 0o755);
      const broken = new PodNetwork({ podCidr, stateDir, bridgeName, pluginDirs: [pluginDir] });
      const pod = await newPod();
      await assert.rejects(broken.setUp(pod), (error: unknown) => {
        assert.ok(error instanceof NetworkError);
        assert.equal(error.plugin, 'firewall');
        assert.deepEqual(error.cni, { code: 11, msg: 'chain is on fire', details: 'try later' });
        assert.equal(error.message, 'plugin type="firewall" failed (add): chain is on fire: try later');
        return true;
      });
      assert.deepEqual(await allocatedIPs(ipamDir), []);
      assert.deepEqual(await bridgePorts(bridgeName), []);
    } finally {
      await rm(pluginDir, { recursive: true, force: true });
    }
  });

  test('many pods set up at once get distinct IPs', async () => {
    const pods = await Promise.all(Array.from({ length: 12 }, () => newPod()));
    const results = await Promise.all(pods.map((pod) => network.setUp(pod)));
    const ips = results.map((r) => r.ips[0]!);
    assert.equal(new Set(ips).size, pods.length);
    assert.deepEqual(await allocatedIPs(ipamDir), [...ips].sort());
    await Promise.all(pods.map((pod) => network.tearDown(pod)));
    assert.deepEqual(await allocatedIPs(ipamDir), []);
    for (const pod of pods) await namespaces.delete(pod.netnsName);
  });

  test('50 set-up/tear-down cycles with ports and bandwidth leave nothing behind', async () => {
    const extras = {
      annotations: { 'kubernetes.io/ingress-bandwidth': '5M', 'kubernetes.io/egress-bandwidth': '5M' },
      portMappings: [{ hostPort: 38231, containerPort: 80, protocol: 'TCP' as const, hostIP: '127.0.0.1' }],
    };
    // One cycle first: the plugins create node-wide chains (CNI-FORWARD, CNI-HOSTPORT-*) once.
    const warmUp = await newPod(extras);
    await network.setUp(warmUp);
    await network.tearDown(warmUp);
    await namespaces.delete(warmUp.netnsName);
    const rulesBefore = await iptablesRules(marker, cidrPrefix);
    const sandboxes: string[] = [];

    for (let i = 0; i < 50; i++) {
      const pod = await newPod(extras);
      sandboxes.push(pod.sandboxId);
      await network.setUp(pod);
      // Every other pod loses its netns first, as when the infra process died.
      if (i % 2 === 1) await namespaces.delete(pod.netnsName);
      await network.tearDown(pod);
      await namespaces.delete(pod.netnsName);
    }

    assert.deepEqual(await bridgePorts(bridgeName), []);
    assert.deepEqual(await allocatedIPs(ipamDir), []);
    assert.deepEqual(await bandwidthIfbs('peapod', sandboxes), []);
    assert.deepEqual(await iptablesRules(marker, cidrPrefix), rulesBefore);
  });
});
