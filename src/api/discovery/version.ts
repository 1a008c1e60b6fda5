// GET /version. The minor version matters beyond display: the kubectl dispatcher installed on
// these machines runs kubectl.1.<minor> when it has one (kubectl-wire §1), and 32 selects a
// client with WebSocket exec/port-forward and OpenAPI v3 validation.
import type { Info } from 'kubernetes-types/version.d.ts';
import type { SimpleRequest, SimpleResponse } from '../http/response.ts';
import { jsonResponse } from './responses.ts';

const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

export function versionInfo(): Info {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0-peapod',
    gitCommit: '',
    gitTreeState: '',
    buildDate: '1970-01-01T00:00:00Z',
    // peapod is not built by Go; the runtime that runs it goes in the same fields.
    goVersion: `node${process.versions.node}`,
    compiler: 'node',
    platform: `${process.platform}/${goArch[process.arch] ?? process.arch}`,
  };
}

export function serveVersion(req: SimpleRequest): SimpleResponse | undefined {
  return req.path === '/version' ? jsonResponse(200, versionInfo()) : undefined;
}
