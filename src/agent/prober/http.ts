// The httpGet probe (the kubelet's DoHTTPProbe): 2xx is success, a redirect to the same host is
// followed (up to 10), one elsewhere is a warning, anything else fails with its status code; no
// response at all fails with the client's error.
import { httpGet, HttpGetError, type HttpGetTarget } from './http_get.ts';
import type { ProbeOutcome } from './outcome.ts';

const maxRedirects = 10;

export async function httpProbe(target: HttpGetTarget, timeoutMs: number): Promise<ProbeOutcome> {
  let current = target;
  for (let redirects = 0; ; redirects++) {
    let response;
    try {
      response = await httpGet(current, timeoutMs);
    } catch (err) {
      if (err instanceof HttpGetError) return { result: 'Failure', output: err.message };
      throw err;
    }
    const { statusCode, body, location } = response;
    if (statusCode >= 200 && statusCode < 300) return { result: 'Success', output: body };
    if (statusCode < 200 || statusCode >= 400) return { result: 'Failure', output: `HTTP probe failed with statuscode: ${statusCode}` };
    const next = location === undefined ? undefined : new URL(location, current.url);
    if (next === undefined || next.hostname !== current.url.hostname || redirects >= maxRedirects) {
      return { result: 'Warning', output: `Probe terminated redirects, Response body: ${body}` };
    }
    current = { url: next, headers: current.headers };
  }
}
