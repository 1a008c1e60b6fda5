import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostNetworkHostsFile, managedHostsFile, shouldMountHostsFile } from '../../src/agent/kuberuntime/hosts.ts';
import { makePod } from './fixtures.ts';

const localhost = '# Kubernetes-managed hosts file.\n' +
  '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';

describe('hosts file', () => {
  test('one line per pod IP with the short name', () => {
    assert.equal(managedHostsFile(makePod(), ['10.1.0.5', 'fd00::5'], 'web'), `${localhost}10.1.0.5\tweb\nfd00::5\tweb\n`);
  });

  test('with a domain the FQDN comes first', () => {
    assert.equal(managedHostsFile(makePod(), ['10.1.0.5'], 'web', 'sub.ns.svc.cluster.local'), `${localhost}10.1.0.5\tweb.sub.ns.svc.cluster.local\tweb\n`);
  });

  test('hostAliases are appended, one line per IP', () => {
    const pod = makePod({ hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo.local', 'bar.local'] }, { ip: '10.1.2.3', hostnames: ['baz'] }] });
    assert.equal(managedHostsFile(pod, ['10.1.0.5'], 'web'),
      `${localhost}10.1.0.5\tweb\n\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tbaz\n`);
  });

  test('host network: the node file under its own header, then aliases', () => {
    const pod = makePod({ hostNetwork: true, hostAliases: [{ ip: '1.2.3.4', hostnames: ['x'] }] });
    assert.equal(hostNetworkHostsFile(pod, '127.0.0.1 localhost\n'),
      '# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n\n# Entries added by HostAliases.\n1.2.3.4\tx\n');
  });

  test('mounted once the pod has an IP, or with host network', () => {
    assert.equal(shouldMountHostsFile(makePod(), []), false);
    assert.equal(shouldMountHostsFile(makePod(), ['10.1.0.5']), true);
    assert.equal(shouldMountHostsFile(makePod({ hostNetwork: true }), []), true);
  });
});
