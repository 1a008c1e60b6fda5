// The admin kubeconfig (DIR/kubeconfig.yaml, mode 0600): cluster, user and context all named
// "peapod", with the CA and the admin client pair embedded so the file works on its own.
import { join } from 'node:path';
import { stringify } from 'yaml';
import { writeSecretFile } from './files.ts';
import type { Pki } from './pki.ts';

export const kubeconfigName = 'peapod';

/** Writes the kubeconfig and returns its path. */
export async function writeAdminKubeconfig(dataDir: string, serverUrl: string, pki: Pki): Promise<string> {
  const path = join(dataDir, 'kubeconfig.yaml');
  await writeSecretFile(path, stringify(adminKubeconfig(serverUrl, pki)));
  return path;
}

export function adminKubeconfig(serverUrl: string, pki: Pki): Record<string, unknown> {
  const base64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: kubeconfigName, cluster: { server: serverUrl, 'certificate-authority-data': base64(pki.ca.cert) } }],
    users: [{
      name: kubeconfigName,
      user: { 'client-certificate-data': base64(pki.admin.cert), 'client-key-data': base64(pki.admin.key) },
    }],
    contexts: [{ name: kubeconfigName, context: { cluster: kubeconfigName, user: kubeconfigName } }],
    'current-context': kubeconfigName,
  };
}
