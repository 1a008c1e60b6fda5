// Host-side state that survives a DEL when the pod's netns is already gone: the host end of the
// veth goes with the netns; if that netns lives on somewhere (a path we would not enter), we
// delete the host end while it is still a port of our bridge.
import { run } from '../launcher/launcher.ts';
import type { CacheEntry } from './cni/cache.ts';

export async function removeStrayVeths(entry: CacheEntry, bridgeName: string): Promise<void> {
  for (const iface of entry.result?.interfaces ?? []) {
    if (iface.sandbox === undefined && iface.name !== bridgeName) await deleteBridgePort(iface.name, bridgeName);
  }
}

/** Deletes a veth only while it is still a port of our bridge: names of gone links get reused. */
async function deleteBridgePort(link: string, bridgeName: string): Promise<void> {
  let shown: { master?: string }[];
  try {
    shown = JSON.parse((await run(['ip', '-j', 'link', 'show', 'dev', link])).stdout) as { master?: string }[];
  } catch {
    return; // no such link: the kernel removed it with its netns
  }
  if (shown[0]?.master !== bridgeName) return;
  await run(['ip', 'link', 'del', 'dev', link]).catch(() => {});
}
