// Termination messages (the kubelet's makeMounts and getTerminationMessage): each container attempt
// gets an empty file of its own on the node, bind-mounted at its terminationMessagePath; once the
// container exited, the file's last 4096 bytes are state.terminated.message. Under
// FallbackToLogsOnError an empty file after a failure gives the log's last 80 lines (2048 bytes).
import { chmod, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container } from 'kubernetes-types/core/v1.d.ts';
import { defaultTerminationMessagePath, terminationMessagePathAnnotation, terminationMessagePolicyAnnotation } from '../kuberuntime/labels.ts';
import { readContainerLogs } from '../logs/reader.ts';
import type { ContainerStatus, Mount } from '../runtime/runtime.ts';
import { containerDir, type WorkerContext } from './context.ts';
import type { RuntimePod } from './observe.ts';

const maxMessageBytes = 4096;
const maxLogLines = 80;
const maxLogBytes = 2048;

/** Creates the attempt's file (mode 0666, whoever the container runs as) and returns its mount. */
export async function terminationMessageMount(dir: string, container: Container): Promise<Mount[]> {
  const containerPath = container.terminationMessagePath ?? defaultTerminationMessagePath;
  if (containerPath === '') return [];
  const hostPath = join(dir, 'termination-log');
  await writeFile(hostPath, '');
  await chmod(hostPath, 0o666);
  return [{ containerPath, hostPath }];
}

/** The messages of the pod's exited containers, by container ID. */
export async function terminationMessages(ctx: WorkerContext, observed: RuntimePod): Promise<Map<string, string>> {
  const messages = new Map<string, string>();
  for (const c of observed.containers.filter((x) => x.state === 'exited')) {
    const message = await terminationMessage(join(containerDir(ctx, observed.uid, c.metadata.name, c.metadata.attempt), 'termination-log'), c);
    if (message !== '') messages.set(c.id, message);
  }
  return messages;
}

async function terminationMessage(path: string, c: ContainerStatus): Promise<string> {
  const fromFile = c.annotations[terminationMessagePathAnnotation] === '' ? '' : await readLastBytes(path, maxMessageBytes);
  const fallback = c.annotations[terminationMessagePolicyAnnotation] === 'FallbackToLogsOnError' && c.exitCode !== 0;
  return fromFile === '' && fallback ? lastLogLines(c.logPath) : fromFile;
}

async function readLastBytes(path: string, max: number): Promise<string> {
  const file = await open(path, 'r').catch(() => undefined);
  if (file === undefined) return '';
  try {
    const { size } = await file.stat();
    const length = Math.min(size, max);
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    await file.close();
  }
}

async function lastLogLines(logPath: string): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of readContainerLogs({ path: logPath }, { tailLines: maxLogLines, timestamps: false, follow: false, streams: ['stdout', 'stderr'] })) chunks.push(chunk);
  } catch {
    return '';
  }
  const text = Buffer.concat(chunks);
  return text.subarray(Math.max(0, text.length - maxLogBytes)).toString('utf8');
}
