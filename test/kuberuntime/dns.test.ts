import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResolvConf, podDnsConfig } from '../../src/agent/kuberuntime/dns.ts';
import { PodSandboxConfigError } from '../../src/agent/kuberuntime/errors.ts';
import { makePod } from './fixtures.ts';

const node = '# node\nnameserver 192.168.1.1\nnameserver 192.168.1.2\nsearch old.example\nsearch home.example. lan\noptions timeout:2 rotate\n';
const cluster = { clusterDns: ['10.96.0.10'], clusterDomain: 'cluster.local' };
const clusterSearches = ['ns.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];

describe('parseResolvConf', () => {
  test('nameservers accumulate, the last search and options win, trailing dots go', () => {
    assert.deepEqual(parseResolvConf(node), { servers: ['192.168.1.1', '192.168.1.2'], searches: ['home.example', 'lan'], options: ['timeout:2', 'rotate'] });
  });
  test('a nameserver line without address is an error', () => {
    assert.throws(() => parseResolvConf('nameserver\n'), (e: unknown) => e instanceof PodSandboxConfigError && e.message === 'nameserver list is empty ');
  });
});

describe('podDnsConfig', () => {
  const cases: [string, Parameters<typeof makePod>[0], typeof cluster | {}, { servers: string[]; searches: string[]; options: string[] }][] = [
    ['ClusterFirst', { dnsPolicy: 'ClusterFirst' }, cluster,
      { servers: ['10.96.0.10'], searches: [...clusterSearches, 'home.example', 'lan'], options: ['ndots:5'] }],
    ['ClusterFirst is the default', {}, cluster,
      { servers: ['10.96.0.10'], searches: [...clusterSearches, 'home.example', 'lan'], options: ['ndots:5'] }],
    ['ClusterFirst without cluster domain keeps the node searches', {}, { clusterDns: ['10.96.0.10'] },
      { servers: ['10.96.0.10'], searches: ['home.example', 'lan'], options: ['ndots:5'] }],
    ['ClusterFirst with hostNetwork falls back to Default', { hostNetwork: true }, cluster,
      { servers: ['192.168.1.1', '192.168.1.2'], searches: ['home.example', 'lan'], options: ['timeout:2', 'rotate'] }],
    ['ClusterFirstWithHostNet', { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }, cluster,
      { servers: ['10.96.0.10'], searches: [...clusterSearches, 'home.example', 'lan'], options: ['ndots:5'] }],
    ['ClusterFirst without cluster DNS falls back to Default', {}, {},
      { servers: ['192.168.1.1', '192.168.1.2'], searches: ['home.example', 'lan'], options: ['timeout:2', 'rotate'] }],
    ['Default', { dnsPolicy: 'Default' }, cluster,
      { servers: ['192.168.1.1', '192.168.1.2'], searches: ['home.example', 'lan'], options: ['timeout:2', 'rotate'] }],
    ['None with dnsConfig', { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['x.example'], options: [{ name: 'ndots', value: '1' }, { name: 'edns0' }] } }, cluster,
      { servers: ['1.1.1.1'], searches: ['x.example'], options: ['ndots:1', 'edns0'] }],
    ['dnsConfig merges without duplicates, options replaced by name', {
      dnsConfig: { nameservers: ['10.96.0.10', '8.8.8.8'], searches: ['cluster.local', 'extra.example'], options: [{ name: 'ndots', value: '2' }, { name: 'single-request' }] },
    }, cluster, {
      servers: ['10.96.0.10', '8.8.8.8'], searches: [...clusterSearches, 'home.example', 'lan', 'extra.example'], options: ['ndots:2', 'single-request'],
    }],
  ];
  for (const [name, spec, settings, want] of cases) {
    test(name, () => assert.deepEqual(podDnsConfig(makePod(spec), node, settings).dnsConfig, want));
  }

  test('missing cluster DNS is reported as the kubelet words it', () => {
    assert.deepEqual(podDnsConfig(makePod(), node, {}).warnings, [{
      reason: 'MissingClusterDNS',
      message: 'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.',
    }]);
  });

  test('more than 3 nameservers are cut with a warning', () => {
    const result = podDnsConfig(makePod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'] } }), '', {});
    assert.deepEqual(result.dnsConfig.servers, ['1.1.1.1', '2.2.2.2', '3.3.3.3']);
    assert.deepEqual(result.warnings, [{
      reason: 'DNSConfigForming',
      message: 'Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 1.1.1.1 2.2.2.2 3.3.3.3',
    }]);
  });

  test('more than 32 searches are cut with a warning', () => {
    const searches = Array.from({ length: 35 }, (_, i) => `d${i}.example`);
    const result = podDnsConfig(makePod({ dnsPolicy: 'None', dnsConfig: { searches } }), '', {});
    assert.deepEqual(result.dnsConfig.searches, searches.slice(0, 32));
    assert.equal(result.warnings[0]?.message, `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.slice(0, 32).join(' ')}`);
  });

  test('search paths over 253 characters are dropped and the line is kept under 2048', () => {
    const long = 'x'.repeat(254);
    const wide = Array.from({ length: 10 }, (_, i) => `${String(i)}${'y'.repeat(249)}`);
    const result = podDnsConfig(makePod({ dnsPolicy: 'None', dnsConfig: { searches: ['ok.example', long, ...wide] } }), '', {});
    assert.ok(!result.dnsConfig.searches.includes(long));
    assert.ok(result.dnsConfig.searches.join(' ').length <= 2048);
    assert.deepEqual(result.dnsConfig.searches, ['ok.example', ...wide.slice(0, 8)]);
    assert.equal(result.warnings.length, 1);
  });
});
