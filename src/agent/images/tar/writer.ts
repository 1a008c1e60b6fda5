// A tar writer for image layers: ustar headers, with a PAX extended header when a name or link
// target does not fit ustar's fields. Enough to build test images and hostile layers by hand.
import { typeFlags, type TarHeader } from './entry.ts';

export type TarInput = Partial<TarHeader> & Pick<TarHeader, 'name'> & { body?: Buffer };

const BLOCK = 512;

export function packTar(entries: TarInput[]): Buffer {
  const parts: Buffer[] = [];
  for (const input of entries) {
    const body = input.body ?? Buffer.alloc(0);
    const header = completeHeader(input, body.length);
    const pax = paxRecords(header);
    if (pax.length > 0) {
      parts.push(encodeHeader({ ...header, name: 'PaxHeader', size: pax.length }, 'x'), padded(pax));
    }
    parts.push(encodeHeader(header, typeFlags[header.type]), padded(body));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function completeHeader(input: TarInput, size: number): TarHeader {
  const type = input.type ?? 'file';
  return {
    name: input.name,
    type,
    mode: input.mode ?? (type === 'directory' ? 0o755 : type === 'symlink' ? 0o777 : 0o644),
    uid: input.uid ?? 0,
    gid: input.gid ?? 0,
    size: type === 'file' ? size : 0,
    mtime: input.mtime ?? 0,
    linkname: input.linkname ?? '',
    devmajor: input.devmajor ?? 0,
    devminor: input.devminor ?? 0,
  };
}

// Names longer than ustar's 100 bytes go to a PAX record; the ustar field keeps a truncated copy.
function paxRecords(header: TarHeader): Buffer {
  const records: string[] = [];
  if (Buffer.byteLength(header.name) > 100) records.push(paxRecord('path', header.name));
  if (Buffer.byteLength(header.linkname) > 100) records.push(paxRecord('linkpath', header.linkname));
  return Buffer.from(records.join(''));
}

// A PAX record is "LEN key=value\n" where LEN counts the whole record, itself included.
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body);
  while (String(length).length + Buffer.byteLength(body) !== length) {
    length = String(length).length + Buffer.byteLength(body);
  }
  return `${length}${body}`;
}

function encodeHeader(header: TarHeader, flag: string): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(header.name.slice(0, 100), 0, 100, 'utf8');
  writeOctal(block, 100, 8, header.mode & 0o7777);
  writeOctal(block, 108, 8, header.uid);
  writeOctal(block, 116, 8, header.gid);
  writeOctal(block, 124, 12, header.size);
  writeOctal(block, 136, 12, header.mtime);
  block.write(flag, 156, 1, 'ascii');
  block.write(header.linkname.slice(0, 100), 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 8, 'binary');
  writeOctal(block, 329, 8, header.devmajor);
  writeOctal(block, 337, 8, header.devminor);
  // The checksum is computed with its own field read as spaces.
  block.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return block;
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}

function padded(data: Buffer): Buffer {
  const rest = data.length % BLOCK;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rest)]);
}
