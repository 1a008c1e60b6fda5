// Every in-process case against one datastore, each beside its lower bound:
//
//   startApiServer(datastore) ─┬─ GET one pod, 1 and 16 clients     │ bare https server (once per run)
//                              ├─ create pods, 16 clients            │ raw store.create, second store
//                              ├─ seed N pods ─ LIST as JSON / Table │ store.list + JSON.parse
//                              └─ watch: W watchers, steady writes
import { startApiServer, type ApiServer } from '../../src/api/server.ts';
import { ensurePki, tlsServerOptions } from '../../src/api/auth/pki.ts';
import { loadKubeconfig } from '../../src/client/config.ts';
import { RestClient } from '../../src/client/rest.ts';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import type { Store } from '../../src/store/store.ts';
import { startBareServer } from './baseline.ts';
import { createCase, createNamespaces, getCase, listCase, seedPods, tableAccept } from './cases.ts';
import { openBenchDatastore, type BenchDatastore, type DatastoreKind } from './datastore.ts';
import { caseResult, targetFromKubeconfig, type CaseResult, type HttpTarget } from './load.ts';
import { closedLoop } from './loop.ts';
import { log as progress } from './log.ts';
import { benchPod, podsPath } from './pods.ts';
import { runWatchLoad, type WatchCaseResult } from './watch.ts';

export interface SuiteOptions {
  caseMs: number;
  warmupMs: number;
  listPods: number;
  listRuns: number;
  watchers: number;
  watchWrites: number;
  watchIntervalMs: number;
  /** Also measure the GET lower bound (the bare server) with this suite's TLS material. */
  getLowerBound: boolean;
}

export interface SuiteResult {
  datastore: DatastoreKind;
  get: { c1: CaseResult; c16: CaseResult };
  getLowerBound?: { c1: CaseResult; c16: CaseResult };
  create: { api: CaseResult; lowerBound: CaseResult };
  seed: CaseResult;
  list: { json: CaseResult; table: CaseResult; lowerBound: CaseResult; items: number };
  watch: WatchCaseResult;
}

const ns = { get: 'bench-get', create: 'bench-create', list: 'bench-list', watch: 'bench-watch' };

export async function runSuite(kind: DatastoreKind, options: SuiteOptions): Promise<SuiteResult> {
  const datastore = await openBenchDatastore(kind);
  let server: ApiServer | undefined;
  let client: RestClient | undefined;
  try {
    server = await startApiServer({ dataDir: datastore.dataDir, port: 0, bindAddress: '127.0.0.1', datastore: datastore.datastore });
    client = new RestClient(await loadKubeconfig(server.kubeconfigPath));
    const target = await targetFromKubeconfig(server.kubeconfigPath);
    await createNamespaces(client, Object.values(ns));
    const log = (what: string) => progress(`${kind}: ${what}`);
    log('GET');
    const get = await getCases(client, target, options);
    const getLowerBound = options.getLowerBound ? await getBoundCases(client, datastore, target, options) : undefined;
    log('create');
    const create = await createCases(server, datastore, target, options);
    log(`seed ${options.listPods} pods`);
    const seed = await seedPods(target, ns.list, options.listPods);
    log('LIST');
    const list = await listCases(server, client, target, options);
    log('watch');
    const watch = await watchCase(client, target, options);
    return { datastore: kind, get, getLowerBound, create, seed, list, watch };
  } finally {
    client?.close();
    await server?.close();
    await datastore.close();
  }
}

async function getCases(client: RestClient, target: HttpTarget, options: SuiteOptions): Promise<SuiteResult['get']> {
  await client.create<Pod>(podsPath(ns.get), benchPod(ns.get, 'get-0'));
  const path = `${podsPath(ns.get)}/get-0`;
  return {
    c1: await getCase(target, path, 1, options.caseMs, options.warmupMs),
    c16: await getCase(target, path, 16, options.caseMs, options.warmupMs),
  };
}

/** The bare server answers the very body the API server returned for the pod. */
async function getBoundCases(client: RestClient, datastore: BenchDatastore, target: HttpTarget, options: SuiteOptions): Promise<SuiteResult['get']> {
  const path = `${podsPath(ns.get)}/get-0`;
  const body = JSON.stringify(await client.get<Pod>(path));
  const pki = await ensurePki(datastore.dataDir, { hosts: ['127.0.0.1'] });
  const bare = await startBareServer(tlsServerOptions(pki), body);
  try {
    const bareTarget = { ...target, origin: bare.origin };
    return {
      c1: await getCase(bareTarget, path, 1, options.caseMs, options.warmupMs),
      c16: await getCase(bareTarget, path, 16, options.caseMs, options.warmupMs),
    };
  } finally {
    await bare.close();
  }
}

/** API creates, then raw store.create of the JSON the server stored for the first of them. */
async function createCases(server: ApiServer, datastore: BenchDatastore, target: HttpTarget, options: SuiteOptions): Promise<SuiteResult['create']> {
  const api = await createCase(target, ns.create, 'c-', { concurrency: 16, durationMs: options.caseMs, warmupMs: options.warmupMs });
  const stored = await server.store.get(`/registry/pods/${ns.create}/c-0`);
  if (!stored) throw new Error('create: pod c-0 is not in the store');
  const object = JSON.parse(stored.value) as Pod;
  const template = JSON.stringify({ ...object, metadata: { ...object.metadata, name: '__NAME__' } });
  const raw: Store = await datastore.openRawStore();
  try {
    const create = (name: string) => raw.create(datastore.rawPrefix + name, template.replace('__NAME__', name)).then(() => undefined);
    await closedLoop({ concurrency: 16, durationMs: options.warmupMs }, (i) => create(`w${i}`));
    const lowerBound = caseResult(await closedLoop({ concurrency: 16, durationMs: options.caseMs }, (i) => create(`r${i}`)));
    return { api, lowerBound };
  } finally {
    await raw.close();
  }
}

async function listCases(server: ApiServer, client: RestClient, target: HttpTarget, options: SuiteOptions): Promise<SuiteResult['list']> {
  const probe = await client.list<Pod>(podsPath(ns.list), { limit: 1 });
  const items = probe.items.length + (probe.metadata.remainingItemCount ?? 0);
  if (items !== options.listPods) throw new Error(`LIST: namespace ${ns.list} holds ${items} pods, want ${options.listPods}`);
  const json = await listCase(target, ns.list, options.listRuns);
  const table = await listCase(target, ns.list, options.listRuns, tableAccept);
  const prefix = `/registry/pods/${ns.list}/`;
  const readAll = async () => {
    const page = await server.store.list(prefix);
    for (const kv of page.items) JSON.parse(kv.value);
  };
  await readAll();
  const lowerBound = caseResult(await closedLoop({ concurrency: 1, total: options.listRuns }, readAll));
  return { json, table, lowerBound, items };
}

async function watchCase(client: RestClient, target: HttpTarget, options: SuiteOptions): Promise<WatchCaseResult> {
  const now = await client.list<Pod>(podsPath(ns.watch), { limit: 1 });
  return runWatchLoad({
    target,
    namespace: ns.watch,
    resourceVersion: now.metadata.resourceVersion ?? '',
    watchers: options.watchers,
    writes: options.watchWrites,
    intervalMs: options.watchIntervalMs,
    settleMs: 10_000,
  });
}
