// The informer's local copy of a resource, keyed the way client-go's MetaNamespaceKeyFunc keys
// it ("ns/name", or "name" for cluster-scoped objects). Every change returns the Delta it caused
// so that the informer can tell its handlers exactly what moved.
import type { ObjectMeta } from 'kubernetes-types/meta/v1.d.ts';

export interface KubeObject {
  metadata?: ObjectMeta;
}

export type Delta<T> =
  | { type: 'add'; obj: T }
  | { type: 'update'; old: T; obj: T }
  | { type: 'delete'; obj: T };

export function objectKey(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error('object without metadata.name has no cache key');
  const namespace = obj.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
}

export function resourceVersionOf(obj: KubeObject): string {
  return obj.metadata?.resourceVersion ?? '';
}

export class ObjectCache<T extends KubeObject> {
  private readonly items = new Map<string, T>();

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  upsert(obj: T): Delta<T> {
    const key = objectKey(obj);
    const old = this.items.get(key);
    this.items.set(key, obj);
    return old ? { type: 'update', old, obj } : { type: 'add', obj };
  }

  /** Deletion carries the object as the server last had it, even if the cache never saw it. */
  remove(obj: T): Delta<T> {
    this.items.delete(objectKey(obj));
    return { type: 'delete', obj };
  }

  /**
   * Makes the cache equal to a fresh list and returns what changed: adds for new keys, updates
   * where the resourceVersion moved, deletes (with the last cached state) for keys now absent.
   * Deletes come first so that a name deleted and re-created reads as delete, then add.
   */
  replace(listed: T[]): Delta<T>[] {
    const fresh = new Map<string, T>();
    for (const obj of listed) fresh.set(objectKey(obj), obj);
    const deltas: Delta<T>[] = [];
    for (const [key, old] of this.items) {
      const now = fresh.get(key);
      if (!now || sameKeyNewObject(old, now)) {
        this.items.delete(key);
        deltas.push({ type: 'delete', obj: old });
      }
    }
    for (const [key, obj] of fresh) {
      const old = this.items.get(key);
      this.items.set(key, obj);
      if (!old) deltas.push({ type: 'add', obj });
      else if (resourceVersionOf(old) !== resourceVersionOf(obj)) deltas.push({ type: 'update', old, obj });
    }
    return deltas;
  }
}

/** A different uid under the same name: the object was deleted and re-created during the gap. */
function sameKeyNewObject(old: KubeObject, now: KubeObject): boolean {
  const a = old.metadata?.uid;
  const b = now.metadata?.uid;
  return a !== undefined && b !== undefined && a !== b;
}
