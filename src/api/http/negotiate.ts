// Content negotiation for object responses: JSON always; a meta.k8s.io/v1 Table when the client
// asks for one (kubectl get). Protobuf is never served; clients that offer it also offer JSON.
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [{ type: '*/*', params: {} }];
  return accept.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const parsed: Record<string, string> = {};
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq > 0) parsed[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
    }
    return { type: type.toLowerCase(), params: parsed };
  });
}

/** True when the first acceptable range (in the client's order) is a Table. */
export function wantsTable(accept: string | undefined): boolean {
  for (const range of parseAccept(accept)) {
    if (range.params.as === 'Table' && range.params.g === 'meta.k8s.io' && (range.params.v === 'v1' || range.params.v === 'v1beta1')) {
      return true;
    }
    if (acceptsJson(range)) return false;
  }
  return false;
}

function acceptsJson(range: MediaRange): boolean {
  if (range.params.as) return false;
  return range.type === 'application/json' || range.type === 'application/*' || range.type === '*/*' || range.type === 'application/yaml';
}

/** Whether any plain JSON (or wildcard) is acceptable. */
export function acceptsPlainJson(accept: string | undefined): boolean {
  return parseAccept(accept).some(acceptsJson) || wantsTable(accept);
}

export function includeObjectParam(value: string | null): IncludeObject {
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}
