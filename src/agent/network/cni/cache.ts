// The per-sandbox CNI cache, like libcni's /var/lib/cni/results/NET-ID-IFNAME: what was ADDed
// (config, arguments) and what the plugins returned. DEL needs it for prevResult and for the
// same runtimeConfig (portmap removes its rules by the mappings it was given); podIPs needs it
// after an agent restart. The entry is written before ADD so that a crash halfway can still be
// torn down, and completed with the result afterwards. Writes are atomic (temp file + rename).

import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NetworkError } from '../errors.ts';
import type { CniResult, NetConfList, RuntimeConf } from './types.ts';

/** The namespace the ADD went into, by inode: DEL only enters a namespace that is still that one. */
export interface NetnsIdentity {
  path: string;
  dev: number;
  ino: number;
}

export interface CacheEntry {
  kind: 'cniCacheV1';
  containerId: string;
  config: NetConfList;
  runtime: RuntimeConf;
  netns?: NetnsIdentity;
  /** Absent while the ADD is under way (or when it failed before the end). */
  result?: CniResult;
}

/** The CNI spec's container id syntax; it also keeps ids from naming paths outside the cache. */
const containerIdRE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function checkContainerId(id: string): void {
  if (!containerIdRE.test(id)) {
    throw new NetworkError('InvalidArgument', `invalid sandbox id "${id}": must match ${containerIdRE.source}`);
  }
}

export class CniCache {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async get(containerId: string): Promise<CacheEntry | undefined> {
    checkContainerId(containerId);
    let text: string;
    try {
      text = await readFile(this.#file(containerId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const entry = JSON.parse(text) as CacheEntry;
    if (entry.kind !== 'cniCacheV1' || entry.containerId !== containerId) {
      throw new Error(`CNI cache ${this.#file(containerId)} does not hold sandbox ${containerId}`);
    }
    return entry;
  }

  async put(entry: CacheEntry): Promise<void> {
    checkContainerId(entry.containerId);
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const file = this.#file(entry.containerId);
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(entry), { mode: 0o600 });
    await rename(temp, file);
  }

  async delete(containerId: string): Promise<void> {
    checkContainerId(containerId);
    await rm(this.#file(containerId), { force: true });
  }

  #file(containerId: string): string {
    return join(this.#dir, `${containerId}.json`);
  }
}
