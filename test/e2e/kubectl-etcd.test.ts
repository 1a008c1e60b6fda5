import { kubectlSuite } from './kubectl-suite.ts';

kubectlSuite('etcd');
