// hostPath: the node's own path, used in place (no directory under the pod). Its `type` is
// checked (or the path created) on every setUp, with the kubelet's messages.
import { closeSync, constants, mkdirSync, openSync, statSync, type Stats } from 'node:fs';
import { ContainerConfigError } from './errors.ts';

type Check = { test: (s: Stats) => boolean; what: string };

const checks: Record<string, Check> = {
  Directory: { test: (s) => s.isDirectory(), what: 'a directory' },
  File: { test: (s) => s.isFile(), what: 'a file' },
  Socket: { test: (s) => s.isSocket(), what: 'a socket file' },
  CharDevice: { test: (s) => s.isCharacterDevice(), what: 'a character device' },
  BlockDevice: { test: (s) => s.isBlockDevice(), what: 'a block device' },
};

/** Checks path against a hostPath type; the *OrCreate types create what is missing first. */
export function checkHostPathType(path: string, type: string | undefined, volume: string): void {
  if (type === undefined || type === '') return;
  const fail = (message: string): never => {
    throw new ContainerConfigError(message, { volume });
  };
  const stat = statOrUndefined(path);
  if (stat === undefined && (type === 'DirectoryOrCreate' || type === 'FileOrCreate')) {
    try {
      if (type === 'DirectoryOrCreate') mkdirSync(path, { recursive: true, mode: 0o755 });
      else closeSync(openSync(path, constants.O_CREAT | constants.O_RDONLY, 0o644));
    } catch (err) {
      return fail((err as Error).message);
    }
    return;
  }
  const check = checks[type.replace(/OrCreate$/, '')];
  if (check === undefined) return fail(`${type} is an invalid volume type`);
  if (stat === undefined) return fail(`hostPath type check failed: ${path} does not exist`);
  if (!check.test(stat)) fail(`hostPath type check failed: ${path} is not ${check.what}`);
}

/** stat(2) follows symlinks, as the kubelet's check does. */
function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
