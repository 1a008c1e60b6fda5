// All resource storages of one API server, looked up by group/resource.
import type { Store } from '../../store/store.ts';
import { errors } from '../errors.ts';
import { ResourceStorage, type Clock } from './storage.ts';
import type { Strategy } from './strategy.ts';

export class Registry {
  readonly store: Store;
  readonly now: Clock;
  private readonly storages = new Map<string, ResourceStorage>();

  constructor(store: Store, strategies: readonly Strategy[], now: Clock) {
    this.store = store;
    this.now = now;
    for (const strategy of strategies) {
      this.storages.set(mapKey(strategy.info.group, strategy.info.resource), new ResourceStorage(store, strategy, now));
    }
  }

  find(group: string, resource: string): ResourceStorage | undefined {
    return this.storages.get(mapKey(group, resource));
  }

  get(group: string, resource: string): ResourceStorage {
    const storage = this.find(group, resource);
    if (!storage) throw errors.notFound({ group, resource }, '');
    return storage;
  }
}

function mapKey(group: string, resource: string): string {
  return `${group}/${resource}`;
}
