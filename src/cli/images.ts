// peapod images: the node's image store from the command line, as crictl/ctr offer it.
//   peapod images import FILE   docker-archive or oci-archive (gzip or not)
//   peapod images ls            IMAGE  TAG  IMAGE ID  SIZE, as `crictl images`
//   peapod images pull REF      through --registries (k3s registries.yaml)
//   peapod images rm REF        by name or image ID; drops blobs nothing else uses
// Images live in DATA_DIR/agent/images (--data-dir, default /var/lib/peapod), where the agent keeps them.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadRegistries } from '../agent/images/registry/config.ts';
import { RegistryClient } from '../agent/images/registry/client.ts';
import { parseReference } from '../agent/images/registry/reference.ts';
import type { Image } from '../agent/images/store/images.ts';
import { importArchive } from '../agent/images/store/import.ts';
import { ImageStore } from '../agent/images/store/pull.ts';

const usage = 'usage: peapod images <import FILE|ls|pull REF|rm REF...> [--data-dir DIR] [--registries FILE]';

export function imagesDir(dataDir: string): string {
  return join(resolve(dataDir), 'agent', 'images');
}

export async function run(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string', default: '/var/lib/peapod' },
      registries: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [verb, ...operands] = positionals;
  const want = (count: string, ok: boolean): void => {
    if (!ok) throw new Error(`${verb} takes ${count}\n${usage}`);
  };
  const open = (): ImageStore => {
    const registries = values.registries === undefined ? undefined : loadRegistries(values.registries);
    return new ImageStore({ root: imagesDir(values['data-dir']), client: new RegistryClient({ registries }) });
  };
  switch (verb) {
    case 'import':
      want('one FILE', operands.length === 1);
      for (const image of await importArchive(open(), operands[0])) console.log(`Loaded image: ${image.name}`);
      return;
    case 'ls':
      want('no arguments', operands.length === 0);
      process.stdout.write(imageTable(open().list()));
      return;
    case 'pull': {
      want('one REF', operands.length === 1);
      const { image } = await open().pull(operands[0]);
      console.log(`Image is up to date for ${image.id}`);
      return;
    }
    case 'rm': {
      want('at least one REF', operands.length > 0);
      const store = open();
      for (const reference of operands) for (const name of store.remove(reference)) console.log(`Deleted: ${name}`);
      return;
    }
    default:
      throw new Error(verb === undefined ? usage : `unknown command ${JSON.stringify(verb)}\n${usage}`);
  }
}

/** crictl's table: columns padded to the widest cell + 3, at least 20 wide (Go's tabwriter). */
export function imageTable(images: Image[]): string {
  const rows = images
    .map((image) => {
      const { registry, repository, tag } = parseReference(image.name);
      return [`${registry}/${repository}`, tag ?? '<none>', image.id.replace(/^sha256:/, '').slice(0, 13), humanSize(image.size)];
    })
    .sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
  const table = [['IMAGE', 'TAG', 'IMAGE ID', 'SIZE'], ...rows];
  const widths = [0, 1, 2].map((column) => Math.max(20, ...table.map((row) => row[column].length + 3)));
  return table.map((row) => row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]) : cell)).join('') + '\n').join('');
}

/** docker/go-units HumanSizeWithPrecision(size, 3): decimal units, 3 significant digits. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < units.length - 1) {
    size /= 1000;
    unit++;
  }
  return `${Number(size.toPrecision(3))}${units[unit]}`;
}
