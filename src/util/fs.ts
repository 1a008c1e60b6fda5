// File system questions Node answers only by throwing.
import { access } from 'node:fs/promises';

/** Whether something is at path (a symlink counts by what it points to). */
export function pathExists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}
