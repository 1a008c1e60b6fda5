// The kubectl end-to-end suite: the real kubectl 1.32 against one freshly started peapod server
// per datastore. Groups run in order on that server; every test uses its own object names, so
// each test stands alone. Expected outputs are what Kubernetes 1.32 prints.
import { after, before, describe } from 'node:test';
import { startServer, type Datastore } from '../support/server.ts';
import { Cluster } from './kubectl/context.ts';
import { createApplyTests } from './kubectl/create-apply.ts';
import { deleteTests } from './kubectl/delete.ts';
import { discoveryTests } from './kubectl/discovery.ts';
import { errorTests } from './kubectl/errors.ts';
import { getTests } from './kubectl/get.ts';
import { modifyTests } from './kubectl/modify.ts';
import { observeTests } from './kubectl/observe.ts';

export function kubectlSuite(datastore: Datastore): void {
  describe(`kubectl 1.32 against peapod (${datastore})`, () => {
    const cluster = new Cluster();
    before(async () => {
      cluster.server = await startServer({ datastore });
    });
    after(async () => {
      await cluster.stop();
    });

    describe('discovery', () => discoveryTests(cluster));
    describe('create and apply', () => createApplyTests(cluster));
    describe('get', () => getTests(cluster));
    describe('watch, describe, explain', () => observeTests(cluster));
    describe('label, annotate, patch', () => modifyTests(cluster));
    describe('delete', () => deleteTests(cluster));
    describe('errors', () => errorTests(cluster));
  });
}
