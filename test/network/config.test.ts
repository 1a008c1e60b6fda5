import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pluginConfig } from '../../src/agent/network/cni/conflist.ts';
import { capabilityArgs, cniPortMappings, loopbackConfList, parsePodCidr, podCniArgs, podConfList } from '../../src/agent/network/config.ts';
import { NetworkError } from '../../src/agent/network/errors.ts';
import { resultIPs } from '../../src/agent/network/pod_network.ts';

const settings = { podCidr: '10.42.3.0/24', bridgeName: 'peapod0', ipamDataDir: '/data/network/ipam', forwardRules: true };

test('the pod CIDR gives the subnet and its first address as gateway', () => {
  assert.deepEqual(parsePodCidr('10.42.3.0/24'), { subnet: '10.42.3.0/24', gateway: '10.42.3.1' });
  assert.deepEqual(parsePodCidr('10.244.0.0/16'), { subnet: '10.244.0.0/16', gateway: '10.244.0.1' });
  for (const bad of ['10.42.3.1/24', '10.42.3.0', '10.42.300.0/24', '10.42.3.0/31', 'fd00::/64', '']) {
    assert.throws(() => parsePodCidr(bad), (e: unknown) => e instanceof NetworkError && e.code === 'InvalidArgument' && e.message.includes(`"${bad}"`));
  }
});

test('the conflist: bridge with host-local (no per-pod masquerade), firewall; portmap and bandwidth only when used; loopback apart', () => {
  const plain = podConfList(settings, { ports: false, bandwidth: false });
  assert.equal(plain.cniVersion, '1.0.0');
  assert.deepEqual(plain.plugins.map((p) => p.type), ['bridge', 'firewall']);
  assert.deepEqual(loopbackConfList().plugins, [{ type: 'loopback' }]);
  assert.deepEqual(plain.plugins[0], {
    type: 'bridge',
    bridge: 'peapod0',
    isGateway: true,
    ipMasq: false,
    hairpinMode: true,
    ipam: { type: 'host-local', dataDir: '/data/network/ipam', ranges: [[{ subnet: '10.42.3.0/24', gateway: '10.42.3.1' }]], routes: [{ dst: '0.0.0.0/0' }] },
  });
  const full = podConfList({ ...settings, mtu: 1400 }, { ports: true, bandwidth: true });
  assert.deepEqual(full.plugins.map((p) => p.type), ['bridge', 'firewall', 'portmap', 'bandwidth']);
  assert.equal(full.plugins[0]!['mtu'], 1400);
  assert.deepEqual(full.plugins[2]!.capabilities, { portMappings: true });
  assert.deepEqual(full.plugins[3]!.capabilities, { bandwidth: true });
  const accepting = podConfList({ ...settings, forwardRules: false }, { ports: true, bandwidth: false });
  assert.deepEqual(accepting.plugins.map((p) => p.type), ['bridge', 'portmap'], 'no firewall where FORWARD accepts');
});

test('CNI_ARGS carry the kubelet keys', () => {
  assert.deepEqual(podCniArgs({ podNamespace: 'ns', podName: 'web', podUid: 'u-1', sandboxId: 'sb1' }), [
    ['IgnoreUnknown', '1'],
    ['K8S_POD_NAMESPACE', 'ns'],
    ['K8S_POD_NAME', 'web'],
    ['K8S_POD_INFRA_CONTAINER_ID', 'sb1'],
    ['K8S_POD_UID', 'u-1'],
  ]);
});

test('runtimeConfig reaches only the plugins that declare the capability; prevResult is chained', () => {
  const list = podConfList(settings, { ports: true, bandwidth: true });
  const ports = cniPortMappings([
    { hostPort: 8080, containerPort: 80, protocol: 'TCP', hostIP: '127.0.0.1' },
    { hostPort: 0, containerPort: 53, protocol: 'UDP' },
    { hostPort: 5353, containerPort: 53, protocol: 'UDP' },
  ]);
  assert.deepEqual(ports, [
    { hostPort: 8080, containerPort: 80, protocol: 'tcp', hostIP: '127.0.0.1' },
    { hostPort: 5353, containerPort: 53, protocol: 'udp' },
  ]);
  const runtime = { containerId: 'sb1', netns: '/proc/1/ns/net', ifName: 'eth0', args: [], capabilityArgs: capabilityArgs(ports, { ingressRate: 1000, ingressBurst: 5 }) };
  const prev = { cniVersion: '1.0.0', ips: [{ address: '10.42.3.2/24' }] };
  const bridge = pluginConfig(list, list.plugins[0]!, runtime, undefined);
  assert.equal(bridge['name'], 'peapod');
  assert.equal(bridge['cniVersion'], '1.0.0');
  assert.equal(bridge['runtimeConfig'], undefined);
  assert.equal(bridge['prevResult'], undefined);
  const portmap = pluginConfig(list, list.plugins[2]!, runtime, prev);
  assert.deepEqual(portmap['runtimeConfig'], { portMappings: ports });
  assert.deepEqual(portmap['prevResult'], prev);
  const bandwidth = pluginConfig(list, list.plugins[3]!, runtime, prev);
  assert.deepEqual(bandwidth['runtimeConfig'], { bandwidth: { ingressRate: 1000, ingressBurst: 5 } });
  assert.equal(pluginConfig(list, list.plugins[3]!, { ...runtime, capabilityArgs: {} }, prev)['runtimeConfig'], undefined);
});

test('helpers: result IPs without prefix or loopback', () => {
  assert.deepEqual(resultIPs({ cniVersion: '1.0.0', ips: [{ address: '127.0.0.1/8' }, { address: '10.42.3.7/24' }] }), ['10.42.3.7']);
});
