// The untyped object the generic registry moves around. Strategies narrow it to their kind
// (kubernetes-types) where they look inside.
import type { ObjectMeta } from 'kubernetes-types/meta/v1.d.ts';

/** kubernetes-types marks server-set fields read-only; the server is the one that sets them. */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };
export type WritableMeta = Writable<ObjectMeta>;

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: WritableMeta;
  [field: string]: unknown;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function meta(obj: KubeObject): WritableMeta {
  obj.metadata ??= {};
  return obj.metadata;
}

/** Kubernetes timestamps: RFC 3339 with second precision, UTC. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
