// Generic REST storage for one resource over the store, as kube-apiserver's generic registry:
//   create: system metadata → strategy defaults → validate → store.create
//   update: carry over system fields → strategy → validate → store.update(ifRevision)
//   delete: graceful (deletionTimestamp) or immediate; finalizers hold the object
// Objects are stored without metadata.resourceVersion; the store's modRevision is put back on read.
import { randomUUID } from 'node:crypto';
import type { Store, KeyValue, ListOptions, ListResult } from '../../store/store.ts';
import { errors, fromStoreError, type GroupResource } from '../errors.ts';
import type { FieldError } from '../validation/field.ts';
import { clone, meta, timestamp, type KubeObject } from './object.ts';
import type { Strategy } from './strategy.ts';

/** Records who changed what (managed fields) once a write is known to be valid. */
export type Track = (before: KubeObject | undefined, after: KubeObject) => KubeObject;

export interface WriteOptions {
  dryRun?: boolean;
  track?: Track;
  /** Collects the strategy's warnings about the written object. */
  warnings?: string[];
}

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  object: KubeObject;
  /** false when the object only got a deletionTimestamp and lives on (graceful, finalizers). */
  deleted: boolean;
}

export type Mutation = (current: KubeObject) => KubeObject | Promise<KubeObject>;

export type Clock = () => Date;

const generateNameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export class ResourceStorage {
  readonly strategy: Strategy;
  readonly gr: GroupResource;
  private readonly store: Store;
  private readonly now: Clock;

  constructor(store: Store, strategy: Strategy, now: Clock) {
    this.store = store;
    this.strategy = strategy;
    this.now = now;
    this.gr = { group: strategy.info.group, resource: strategy.info.resource };
  }

  prefix(namespace = ''): string {
    const base = `/registry/${this.gr.group ? `${this.gr.group}/` : ''}${this.gr.resource}/`;
    return this.strategy.info.namespaced && namespace ? `${base}${namespace}/` : base;
  }

  key(namespace: string, name: string): string {
    return this.strategy.info.namespaced ? `${this.prefix(namespace)}${name}` : `${this.prefix()}${name}`;
  }

  decode(kv: KeyValue): KubeObject {
    const obj = JSON.parse(kv.value) as KubeObject;
    meta(obj).resourceVersion = String(kv.modRevision);
    return obj;
  }

  private encode(obj: KubeObject): string {
    const { resourceVersion: _rv, ...rest } = meta(obj);
    return JSON.stringify({ ...obj, metadata: rest });
  }

  list(namespace: string, options: ListOptions): Promise<ListResult> {
    return this.store.list(this.prefix(namespace), options);
  }

  async get(namespace: string, name: string): Promise<KubeObject> {
    const kv = await this.store.get(this.key(namespace, name));
    if (!kv) throw errors.notFound(this.gr, name);
    return this.decode(kv);
  }

  async create(namespace: string, obj: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    this.prepareCreate(namespace, obj);
    const name = meta(obj).name ?? '';
    this.check(name, obj, this.strategy.validate(obj));
    options.warnings?.push(...this.strategy.warnings(obj));
    const tracked = options.track ? options.track(undefined, obj) : obj;
    if (options.dryRun) return tracked;
    try {
      return this.decode(await this.store.create(this.key(namespace, name), this.encode(tracked)));
    } catch (err) {
      throw fromStoreError(err, this.gr, name);
    }
  }

  private prepareCreate(namespace: string, obj: KubeObject): void {
    const m = meta(obj);
    if (m.resourceVersion) throw errors.badRequest('resourceVersion should not be set on objects to be created');
    if (this.strategy.info.namespaced) m.namespace = namespace;
    else delete m.namespace;
    if (!m.name && m.generateName) m.name = m.generateName + randomSuffix();
    m.uid = randomUUID();
    m.creationTimestamp = timestamp(this.now());
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
    if (this.strategy.tracksGeneration) m.generation = 1;
    else delete m.generation;
    this.strategy.prepareForCreate(obj);
  }

  /** PUT of a whole object; creates it when the strategy allows and it is missing. */
  async update(namespace: string, name: string, obj: KubeObject, subresource: string, options: WriteOptions = {}): Promise<{ object: KubeObject; created: boolean }> {
    const kv = await this.store.get(this.key(namespace, name));
    if (!kv) {
      if (!this.strategy.allowCreateOnUpdate || subresource) throw errors.notFound(this.gr, name);
      return { object: await this.create(namespace, obj, options), created: true };
    }
    const old = this.decode(kv);
    // Without a resourceVersion the update is unconditional (every served kind allows that).
    const wanted = meta(obj).resourceVersion;
    if (wanted && wanted !== String(kv.modRevision)) throw errors.conflict(this.gr, name);
    return { object: await this.write(old, obj, kv.modRevision, subresource, options), created: false };
  }

  /**
   * Read-modify-write that retries on conflicts (GuaranteedUpdate): patches, bindings and
   * status writes of server components go through here.
   */
  async guaranteedUpdate(namespace: string, name: string, subresource: string, mutate: Mutation, options: WriteOptions = {}): Promise<KubeObject> {
    for (let attempt = 0; ; attempt++) {
      const old = await this.get(namespace, name);
      const revision = Number(meta(old).resourceVersion);
      const obj = await mutate(clone(old));
      const wanted = meta(obj).resourceVersion;
      if (wanted && wanted !== String(revision)) throw errors.conflict(this.gr, name);
      try {
        return await this.write(old, obj, revision, subresource, options);
      } catch (err) {
        const conflict = (err as { reason?: string }).reason === 'Conflict';
        if (!conflict || attempt >= 10) throw err;
      }
    }
  }

  private async write(old: KubeObject, obj: KubeObject, revision: number, subresource: string, options: WriteOptions): Promise<KubeObject> {
    const name = meta(old).name ?? '';
    this.prepareUpdate(obj, old, subresource);
    this.check(name, obj, this.validateWrite(obj, old, subresource));
    if (subresource !== 'status') options.warnings?.push(...this.strategy.warnings(obj));
    if (options.dryRun) return obj;
    if (this.finalized(obj)) return (await this.remove(obj, revision)).object;
    if (unchanged(obj, old)) return old;
    const tracked = options.track ? options.track(old, obj) : obj;
    try {
      return this.decode(await this.store.update(this.key(meta(old).namespace ?? '', name), this.encode(tracked), revision));
    } catch (err) {
      throw fromStoreError(err, this.gr, name);
    }
  }

  private validateWrite(obj: KubeObject, old: KubeObject, subresource: string): FieldError[] {
    switch (subresource) {
      case 'status':
        return this.strategy.validateStatusUpdate(obj, old);
      case 'finalize':
        return this.strategy.validateFinalizeUpdate(obj, old);
      case 'binding':
        // The binding handler validated the Binding; it sets only spec.nodeName and a condition.
        return [];
      default:
        return this.strategy.validateUpdate(obj, old);
    }
  }

  private prepareUpdate(obj: KubeObject, old: KubeObject, subresource: string): void {
    const m = meta(obj);
    const o = meta(old);
    if (m.name && m.name !== o.name) {
      throw errors.badRequest(`the name of the object (${m.name}) does not match the name on the URL (${o.name})`);
    }
    m.name = o.name;
    if (this.strategy.info.namespaced) m.namespace = o.namespace;
    m.uid ??= o.uid;
    m.creationTimestamp = o.creationTimestamp;
    m.deletionTimestamp = o.deletionTimestamp;
    m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
    if (!m.deletionTimestamp) delete m.deletionTimestamp;
    if (m.deletionGracePeriodSeconds === undefined) delete m.deletionGracePeriodSeconds;
    if (subresource === 'binding') return;
    if (subresource === 'status' || subresource === 'finalize') {
      // A subresource write changes only its part; everything else stays as stored.
      const kept = clone(old);
      if (subresource === 'status') kept.status = obj.status;
      else kept.spec = { ...(kept.spec as object), finalizers: (obj.spec as { finalizers?: string[] } | undefined)?.finalizers };
      const keep = meta(kept);
      keep.resourceVersion = m.resourceVersion;
      Object.assign(obj, kept);
      for (const k of Object.keys(obj)) if (!(k in kept)) delete obj[k];
      return;
    }
    this.strategy.prepareForUpdate(obj, old);
    if (this.strategy.tracksGeneration) {
      m.generation = o.generation ?? 1;
      if (JSON.stringify(specOf(obj)) !== JSON.stringify(specOf(old))) m.generation += 1;
    }
  }

  private check(name: string, obj: KubeObject, errs: FieldError[]): void {
    if (errs.length) throw errors.invalid(this.gr.group, this.strategy.info.kind, name || meta(obj).generateName || '', errs);
  }

  /** An object being deleted whose last finalizer is gone, with no grace left, goes away. */
  private finalized(obj: KubeObject): boolean {
    const m = meta(obj);
    return Boolean(m.deletionTimestamp) && !this.held(obj) && (m.deletionGracePeriodSeconds ?? 0) === 0;
  }

  private held(obj: KubeObject): boolean {
    return Boolean(meta(obj).finalizers?.length) || this.strategy.holdsDeletion(obj);
  }

  async delete(namespace: string, name: string, options: DeleteOptions = {}): Promise<DeleteResult> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(namespace, name);
      checkPreconditions(this.gr, current, options.preconditions);
      try {
        return await this.deleteOnce(current, options);
      } catch (err) {
        if ((err as { reason?: string }).reason !== 'Conflict' || attempt >= 10) throw err;
      }
    }
  }

  private async deleteOnce(current: KubeObject, options: DeleteOptions): Promise<DeleteResult> {
    const m = meta(current);
    const revision = Number(m.resourceVersion);
    const grace = this.strategy.gracePeriod(current, options.gracePeriodSeconds);
    if (grace === 0 && !this.held(current)) {
      return options.dryRun ? { object: current, deleted: true } : this.remove(current, revision);
    }
    const deadline = new Date(this.now().getTime() + grace * 1000);
    if (m.deletionTimestamp) {
      const shorter = grace < (m.deletionGracePeriodSeconds ?? 0) && deadline < new Date(m.deletionTimestamp);
      if (!shorter) return { object: current, deleted: false };
    }
    const marked = clone(current);
    meta(marked).deletionTimestamp = timestamp(deadline);
    meta(marked).deletionGracePeriodSeconds = grace;
    this.strategy.markDeleting(marked);
    if (options.dryRun) return { object: marked, deleted: false };
    try {
      const kv = await this.store.update(this.key(m.namespace ?? '', m.name ?? ''), this.encode(marked), revision);
      return { object: this.decode(kv), deleted: false };
    } catch (err) {
      throw fromStoreError(err, this.gr, m.name ?? '');
    }
  }

  private async remove(obj: KubeObject, revision: number): Promise<DeleteResult> {
    const m = meta(obj);
    try {
      const kv = await this.store.delete(this.key(m.namespace ?? '', m.name ?? ''), revision);
      const gone = JSON.parse(kv.value) as KubeObject;
      meta(gone).resourceVersion = String(kv.modRevision);
      return { object: gone, deleted: true };
    } catch (err) {
      throw fromStoreError(err, this.gr, m.name ?? '');
    }
  }
}

function checkPreconditions(gr: GroupResource, obj: KubeObject, pre: DeleteOptions['preconditions']): void {
  const m = meta(obj);
  if (pre?.uid && pre.uid !== m.uid) {
    throw errors.conflict(gr, m.name ?? '', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${m.uid}`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== m.resourceVersion) {
    throw errors.conflict(gr, m.name ?? '', `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${m.resourceVersion}`);
  }
}

function specOf(obj: KubeObject): unknown {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

function unchanged(obj: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined } });
  return strip(obj) === strip(old);
}

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += generateNameAlphabet[Math.floor(Math.random() * generateNameAlphabet.length)];
  return s;
}
