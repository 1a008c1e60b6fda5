import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { validatePod, validatePodBinding, validatePodStatusUpdate, validatePodUpdate } from '../../src/api/validation/pod.ts';
import { messages, newPod } from './helpers.ts';

const check = (mutate: (pod: Pod) => void): string[] => messages(validatePod(newPod(mutate)));

describe('validatePod', () => {
  test('a defaulted minimal pod is valid', () => {
    assert.deepEqual(check(() => {}), []);
  });

  test('containers are required', () => {
    assert.deepEqual(check((p) => (p.spec!.containers = [])), ['spec.containers: Required value']);
  });

  test('container names: DNS label, unique across containers and init containers; image required', () => {
    assert.deepEqual(check((p) => {
      p.spec!.containers.push({ name: 'app', image: '' });
      p.spec!.initContainers = [{ name: 'app', image: 'busybox' }];
    }), [
      'spec.containers[1].image: Required value',
      'spec.containers[1].name: Duplicate value: "app"',
      'spec.initContainers[0].name: Duplicate value: "app"',
    ]);
    assert.match(check((p) => (p.spec!.containers[0]!.name = 'App'))[0]!,
      /^spec\.containers\[0\]\.name: Invalid value: "App": a lowercase RFC 1123 label must consist of/);
  });

  test('ports', () => {
    assert.deepEqual(check((p) => {
      p.spec!.containers[0]!.ports = [
        { containerPort: 70000, name: 'http' },
        { containerPort: 81, name: 'http', protocol: 'ICMP' },
        { containerPort: 82, hostPort: 8080 },
        { containerPort: 83, hostPort: 8080 },
      ];
    }), [
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[1].name: Duplicate value: "http"',
      'spec.containers[0].ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      'spec.containers[0].ports[3].hostPort: Duplicate value: "TCP//8080"',
    ]);
  });

  test('env: names and exactly one valueFrom source', () => {
    assert.deepEqual(check((p) => {
      p.spec!.containers[0]!.env = [
        { name: '' },
        { name: 'A', valueFrom: {} },
        { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' }, secretKeyRef: { name: 's', key: 'k' } } },
        { name: 'C', valueFrom: { fieldRef: { fieldPath: 'spec.foo' } } },
      ];
    }), [
      'spec.containers[0].env[0].name: Required value',
      'spec.containers[0].env[1].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      'spec.containers[0].env[2].valueFrom: Invalid value: "": may not have more than one field specified at a time',
      'spec.containers[0].env[3].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.foo": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
    ]);
  });

  test('volumes and mounts', () => {
    assert.deepEqual(check((p) => {
      p.spec!.volumes = [
        { name: 'data', emptyDir: {} },
        { name: 'data', emptyDir: {} },
        { name: 'both', emptyDir: {}, hostPath: { path: '/x' } },
        { name: 'cm', configMap: { name: 'c', defaultMode: 0o1000, items: [{ key: 'k', path: '../x' }] } },
        { name: 'dw', downwardAPI: { items: [{ path: '/abs', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      ];
      p.spec!.containers[0]!.volumeMounts = [
        { name: 'data', mountPath: '/d' },
        { name: 'missing', mountPath: '/d' },
        { name: 'data', mountPath: '/e', subPath: '../up' },
      ];
    }), [
      'spec.volumes[1].name: Duplicate value: "data"',
      'spec.volumes[2].hostPath: Forbidden: may not specify more than 1 volume type',
      'spec.volumes[3].configMap.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive',
      'spec.volumes[3].configMap.items[0].path: Invalid value: "../x": must not contain \'..\'',
      'spec.volumes[4].downwardAPI.path: Invalid value: "/abs": must be a relative path',
      'spec.containers[0].volumeMounts[1].name: Not found: "missing"',
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/d": must be unique',
      'spec.containers[0].volumeMounts.subPath: Invalid value: "../up": must not contain \'..\'',
    ]);
  });

  test('restartPolicy, dnsPolicy, activeDeadlineSeconds, policies of containers', () => {
    assert.deepEqual(check((p) => {
      p.spec!.restartPolicy = 'Sometimes';
      p.spec!.dnsPolicy = 'Nearest';
      p.spec!.activeDeadlineSeconds = 0;
      p.spec!.containers[0]!.imagePullPolicy = 'Maybe';
      p.spec!.containers[0]!.terminationMessagePolicy = 'Stdout';
    }), [
      'spec.containers[0].terminationMessagePolicy: Unsupported value: "Stdout": supported values: "File", "FallbackToLogsOnError"',
      'spec.containers[0].imagePullPolicy: Unsupported value: "Maybe": supported values: "Always", "IfNotPresent", "Never"',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      'spec.dnsPolicy: Unsupported value: "Nearest": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
      'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
    ]);
  });

  test('resources', () => {
    assert.deepEqual(check((p) => {
      p.spec!.containers[0]!.resources = { limits: { cpu: '500m', memory: 'lots' }, requests: { cpu: '1', gpu: '1' } };
    }), [
      "spec.containers[0].resources.limits[memory]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      // Requests default to limits on pods, so the bad memory limit is a bad request as well.
      "spec.containers[0].resources.requests[memory]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      'spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m',
    ]);
  });

  test('probes and lifecycle handlers', () => {
    assert.deepEqual(check((p) => {
      const c = p.spec!.containers[0]!;
      c.livenessProbe = { exec: { command: ['true'] }, httpGet: { port: 80 }, successThreshold: 2 };
      c.readinessProbe = { periodSeconds: -1 };
      c.lifecycle = { preStop: { httpGet: { port: 'http-port-name-too-long', path: '/' } } };
    }), [
      'spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: "http-port-name-too-long": must be no more than 15 characters',
      'spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type',
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[0].readinessProbe: Required value: must specify a handler type',
      'spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  test('init containers: probes only for sidecars, restartPolicy only Always, not on app containers', () => {
    assert.deepEqual(check((p) => {
      p.spec!.initContainers = [
        { name: 'init', image: 'busybox', readinessProbe: { exec: { command: ['true'] } } },
        { name: 'side', image: 'busybox', restartPolicy: 'Always', readinessProbe: { exec: { command: ['true'] } } },
        { name: 'odd', image: 'busybox', restartPolicy: 'Never' },
      ];
      p.spec!.containers[0]!.restartPolicy = 'Always';
    }), [
      'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
      'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
      'spec.initContainers[2].restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
  });

  test('node selector, tolerations, hostname, security context', () => {
    const errs = check((p) => {
      p.spec!.nodeSelector = { disk: 'fast ssd' };
      p.spec!.tolerations = [{ operator: 'Equal', value: 'x' }, { key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }];
      p.spec!.hostname = 'Host';
      p.spec!.containers[0]!.securityContext = { runAsUser: -1 };
    });
    const want = [
      'spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive',
      'spec.nodeSelector: Invalid value: "fast ssd": a valid label must be an empty string or consist of',
      'spec.hostname: Invalid value: "Host": a lowercase RFC 1123 label must consist of lower case',
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      "spec.tolerations[1].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
    ];
    assert.equal(errs.length, want.length, errs.join('\n'));
    want.forEach((w, i) => assert.ok(errs[i]!.startsWith(w), `${errs[i]} does not start with ${w}`));
  });
});

describe('validatePodUpdate', () => {
  const existing = (): Pod => newPod((p) => (Object.assign(p.metadata!, { resourceVersion: '7' })));

  test('image, activeDeadlineSeconds and added tolerations may change', () => {
    const old = existing();
    const pod = structuredClone(old);
    pod.spec!.containers[0]!.image = 'nginx:1.28';
    pod.spec!.activeDeadlineSeconds = 60;
    pod.spec!.tolerations!.push({ key: 'x', operator: 'Exists' });
    assert.deepEqual(messages(validatePodUpdate(pod, old)), []);
  });

  test('other spec changes are forbidden with the diff', () => {
    const old = existing();
    const pod = structuredClone(old);
    pod.spec!.containers[0]!.ports = [{ containerPort: 80, protocol: 'TCP' }];
    const [err, ...rest] = messages(validatePodUpdate(pod, old));
    assert.deepEqual(rest, []);
    const [first, ...diff] = err!.split('\n');
    assert.equal(first,
      'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)');
    assert.equal(diff[0], '  core.PodSpec{');
    assert.ok(diff.some((l) => /^- \t\t\tPorts: +nil,$/.test(l)), diff.join('\n'));
    assert.ok(diff.some((l) => /^\+ \t\t\tPorts: +\[\]core\.ContainerPort\{\{ContainerPort: 80, Protocol: "TCP"\}\},$/.test(l)), diff.join('\n'));
  });

  test('containers may not be added; deadlines only shrink; tolerations only grow', () => {
    const old = existing();
    old.spec!.activeDeadlineSeconds = 30;
    const added = structuredClone(old);
    added.spec!.containers.push({ name: 'b', image: 'x' });
    assert.deepEqual(messages(validatePodUpdate(added, old)).at(-1), 'spec.containers: Forbidden: pod updates may not add or remove containers');
    const longer = structuredClone(old);
    longer.spec!.activeDeadlineSeconds = 60;
    assert.deepEqual(messages(validatePodUpdate(longer, old)), ['spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value']);
    const fewer = structuredClone(old);
    fewer.spec!.tolerations = [];
    assert.deepEqual(messages(validatePodUpdate(fewer, old)), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  });
});

describe('status and binding', () => {
  test('status updates may not move the pod or revive terminated containers', () => {
    const old = newPod((p) => {
      Object.assign(p.metadata!, { resourceVersion: '3' });
      p.spec!.restartPolicy = 'Never';
    });
    (old as { status: object }).status = { containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 1 } } }] };
    const pod = structuredClone(old);
    pod.spec!.nodeName = 'n1';
    (pod as { status: object }).status = { containerStatuses: [{ name: 'app', state: { running: {} } }], podIPs: [{ ip: '10.0.0.300' }] };
    assert.deepEqual(messages(validatePodStatusUpdate(pod, old)), [
      'status.nodeName: Forbidden: may not be changed directly',
      'status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state',
      'status.podIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
  });

  test('binding needs a node name', () => {
    assert.deepEqual(messages(validatePodBinding({ metadata: { name: 'p' }, target: { kind: 'Pod', name: '' } })), [
      'target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"',
      'target.name: Required value',
    ]);
  });
});
