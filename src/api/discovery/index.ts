// Discovery, version and health: the whole-body endpoints a client reads before any resource.
export { serveDiscovery, discoveryFormat, type DiscoveryFormat } from './handler.ts';
export { serveVersion, versionInfo } from './version.ts';
export { serveHealth } from './health.ts';
