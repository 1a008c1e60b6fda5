// The node agent: the kubelet and container-runtime roles for one node.
//
//   start ─▶ runtime (adopts what a previous agent left) ─▶ agent server (logs)
//         ─▶ Node registered, pod CIDR known ─▶ QoS cgroups, network, images, volumes
//         ─▶ pods bound here (informer) ──┐
//            PLEG relist (exits) ─────────┼─▶ work queue by pod UID ─▶ pod worker sync
//            probe results that changed ──┤   (orphans from before a restart are cleaned up)
//            pods in the runtime only ────┘
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { Node, Pod } from 'kubernetes-types/core/v1.d.ts';
import { Quantity } from '../api/quantity.ts';
import { Backoff } from '../client/backoff.ts';
import { PodContainerManager } from './cgroups/pod_container_manager.ts';
import { QOSContainerManager, type NodeAllocatable } from './cgroups/qos_container_manager.ts';
import { realClock } from '../client/clock.ts';
import type { ClientConfig } from '../client/config.ts';
import type { InProcessKubelet } from '../api/handlers/kubelet.ts';
import { EventRecorder } from '../client/record.ts';
import { RestClient } from '../client/rest.ts';
import { processQueue } from '../client/worker.ts';
import { WorkQueue } from '../client/workqueue.ts';
import { HookRunner } from './lifecycle/handlers.ts';
import { waitAtMost } from './lifecycle/wait.ts';
import { NodeAgent } from './node/agent.ts';
import { ensureNodeMasquerade } from './network/masquerade.ts';
import { ProberManager } from './prober/manager.ts';
import { ContainerProber } from './prober/prober.ts';
import { ResultsManager } from './prober/results.ts';
import { forwardPolicyDrops, PodNetwork } from './network/pod_network.ts';
import { PortRelays } from './network/port_relay.ts';
import { ContainerLogManager, type LogRotatePolicy } from './logs/manager.ts';
import { Pleg } from './pleg/pleg.ts';
import { PodConfig } from './podconfig/podconfig.ts';
import type { NodeFacts, WorkerContext } from './podworker/context.ts';
import { runtimePodUids } from './podworker/observe.ts';
import { PodWorker } from './podworker/podworker.ts';
import { OciRuntime } from './runtime/oci_runtime.ts';
import { AgentImages } from './images_service.ts';
import { AgentNetwork, AgentVolumes, ApiReferences, podRecorder } from './services.ts';
import { StatusManager } from './status/manager.ts';
import { VolumeManager } from './volumes/index.ts';
import { containerLogsRoute } from './server/container_logs.ts';
import { startAgentServer, type AgentServer } from './server/server.ts';
import { ensureServingCertificate } from './server/serving_cert.ts';
import { remoteCommandRoutes } from './server/exec.ts';
import { portForwardRoutes } from './server/portforward.ts';
import { AgentStreaming } from './streaming_service.ts';
import { agentLogLookup } from './container_logs_service.ts';

const execFileAsync = promisify(execFile);

export interface AgentOptions {
  /** How the agent reaches the API server. */
  client: ClientConfig;
  /** PEM of the cluster CA: the agent server accepts client certificates it signed. */
  clusterCa: string;
  nodeName: string;
  nodeLabels: Record<string, string>;
  nodeIP: string;
  /** 0 picks a free port. */
  kubeletPort: number;
  /** DATA/agent: runtime state, images, pods, logs, network. */
  dataDir: string;
  cniBridge: string;
  /** Root of the node's cgroups: ROOT/kubepods/… (the kubelet's --cgroup-root). */
  cgroupParent: string;
  /** pids.max of every pod cgroup; -1 for unlimited. */
  podPidsLimit: number;
  registriesFile?: string;
  disableDefaultRegistryEndpoint?: boolean;
  /** Pods synced at once. */
  workers?: number;
  /** Container log rotation (the kubelet's --container-log-max-size/-files); none without it. */
  containerLogs?: LogRotatePolicy;
}

export class Agent {
  private readonly options: AgentOptions;
  private readonly client: RestClient;
  private readonly queue = new WorkQueue<string>();
  private readonly events: EventRecorder;
  private node: NodeAgent | undefined;
  private pods: PodConfig | undefined;
  private pleg: Pleg | undefined;
  private logManager: ContainerLogManager | undefined;
  private relays: PortRelays | undefined;
  private server: AgentServer | undefined;
  private probers: ProberManager | undefined;
  private loops: Promise<void>[] = [];

  constructor(options: AgentOptions) {
    this.options = options;
    this.client = new RestClient(options.client);
    this.events = new EventRecorder(this.client, 'kubelet', { host: options.nodeName });
  }

  async start(): Promise<void> {
    const { dataDir } = this.options;
    const runtime = await OciRuntime.open({ stateDir: join(dataDir, 'runtime'), cgroupParent: this.options.cgroupParent });
    const logsDir = join(dataDir, 'logs');
    this.server = await this.startServer(runtime, logsDir);
    this.node = new NodeAgent(this.client, {
      nodeName: this.options.nodeName, labels: this.options.nodeLabels, address: this.options.nodeIP,
      kubeletPort: this.server.port, dataDir, runtimeVersion: await runtimeVersion(),
    });
    const { podCidr } = await this.node.start();
    const recorder = podRecorder(this.events);
    const references = new ApiReferences(this.client);
    const results = new ResultsManager((uid) => this.queue.add(uid));
    this.probers = new ProberManager({ prober: new ContainerProber(runtime, recorder), results, clock: realClock, now: () => new Date() });
    const podsDir = join(dataDir, 'pods');
    await ensureNodeMasquerade(podCidr, this.options.cniBridge);
    const qos = new QOSContainerManager(this.options.cgroupParent, () => this.activePods());
    await qos.start(podAllocatable(this.node.node()));
    const ctx: WorkerContext = {
      runtime,
      images: new AgentImages({ root: join(dataDir, 'images'), registriesFile: this.options.registriesFile, defaultEndpoint: this.options.disableDefaultRegistryEndpoint !== true, recorder }),
      volumes: new AgentVolumes(new VolumeManager({ rootDir: podsDir, sources: references }), recorder),
      network: new AgentNetwork(new PodNetwork({
        podCidr, stateDir: join(dataDir, 'network'), bridgeName: this.options.cniBridge, forwardRules: await forwardPolicyDrops(),
      })),
      cgroups: new PodContainerManager(qos, this.options.podPidsLimit),
      recorder,
      envSources: references,
      // The kubelet's crash back-off, 10 s doubling to 5 min, on the clock of container exit times.
      backoff: new Backoff(10_000, 300_000, { now: Date.now }),
      probes: results,
      probers: this.probers,
      hooks: new HookRunner(runtime),
      waitAtMost,
      node: await this.nodeFacts(),
      podsDir,
      logsDir,
      now: () => new Date(),
    };
    const worker = new PodWorker(ctx, new StatusManager(this.client));
    this.pods = new PodConfig(this.client, this.options.nodeName, (uid) => this.queue.add(uid));
    await this.pods.start();
    const pods = this.pods;
    const sync = (uid: string) => worker.sync(uid, pods.get(uid));
    this.loops = Array.from({ length: this.options.workers ?? 8 }, () => processQueue(this.queue, 'podworker', sync));
    // Pods the runtime still holds but the API no longer has (deleted while the agent was down).
    for (const uid of await runtimePodUids(runtime)) this.queue.add(uid);
    this.pleg = new Pleg(runtime, (uid) => this.queue.add(uid));
    this.pleg.start();
    if (this.options.containerLogs) {
      const onError = (id: string, err: unknown) => console.error(`agent: log rotation of container ${id}:`, err);
      this.logManager = new ContainerLogManager(this.options.containerLogs, { runtime, now: () => new Date(), onError });
      this.logManager.start();
    }
  }

  /** For the API server of the same process (peapod server): this agent's streaming upgrades, without TLS. */
  inProcessKubelet(): InProcessKubelet | undefined {
    const server = this.server;
    if (!server) return undefined;
    return { host: `${this.options.nodeIP.includes(':') ? `[${this.options.nodeIP}]` : this.options.nodeIP}:${server.port}`, upgrade: server.upgradeInProcess };
  }

  async stop(): Promise<void> {
    await this.logManager?.stop();
    await this.pleg?.stop();
    await this.pods?.stop();
    this.queue.shutDown();
    await Promise.all(this.loops);
    await this.probers?.stop();
    await this.node?.stop();
    await this.events.flush();
    await this.server?.close();
    await this.relays?.close();
    this.client.close();
  }

  /** The node's pods that still run (the kubelet's activePods): the Burstable tier's weight follows them. */
  private activePods(): Pod[] {
    const pods = this.pods;
    if (pods === undefined) return [];
    return pods.uids().map((uid) => pods.get(uid)).filter((p): p is Pod => p !== undefined && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  }

  /** The agent's HTTPS server (the kubelet's port): container logs, exec, attach and port-forward for the API server. */
  private async startServer(runtime: OciRuntime, logsDir: string): Promise<AgentServer> {
    const serving = await ensureServingCertificate(join(this.options.dataDir, 'pki'), [this.options.nodeIP, this.options.nodeName]);
    const lookup = agentLogLookup(runtime, logsDir, (namespace, name) => this.pods?.find(namespace, name));
    this.relays = new PortRelays(join(this.options.dataDir, 'network', 'relays'));
    const streaming = new AgentStreaming(runtime, this.relays, (namespace, name) => this.pods?.find(namespace, name));
    return startAgentServer({
      address: this.options.nodeIP, port: this.options.kubeletPort, serving, clientCA: this.options.clusterCa,
      routes: [containerLogsRoute(lookup), ...remoteCommandRoutes(streaming), ...portForwardRoutes(streaming)],
    });
  }

  /** The node's facts for pod workers; allocatable follows the Node as the status manager updates it. */
  private async nodeFacts(): Promise<() => NodeFacts> {
    const resolvConf = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
    return () => {
      const allocatable = this.node?.node().status?.allocatable ?? {};
      return {
        name: this.options.nodeName, hostIP: this.options.nodeIP, resolvConf,
        allocatable: { cpu: allocatable.cpu ?? '0', memory: allocatable.memory ?? '0' },
      };
    };
  }
}

/** What kubepods may use: the node's capacity, since nothing is reserved for the system (Node Allocatable enforcement). */
function podAllocatable(node: Node): NodeAllocatable {
  const capacity = node.status?.capacity ?? {};
  return { milliCPU: Quantity.parse(capacity.cpu ?? '0').milliValue(), memoryBytes: Quantity.parse(capacity.memory ?? '0').value() };
}

/** nodeInfo.containerRuntimeVersion, e.g. runc://1.1.5 (from "runc version 1.1.5+ds1"). */
async function runtimeVersion(): Promise<string> {
  const { stdout } = await execFileAsync('runc', ['--version']);
  const version = /runc version (\d+\.\d+\.\d+)/.exec(stdout)?.[1];
  if (version === undefined) throw new Error(`runc --version: unexpected output: ${stdout.split('\n')[0]}`);
  return `runc://${version}`;
}
