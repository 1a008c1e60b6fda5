// The tar entry kinds an image layer carries, shared by the writer and the reader.
export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

export interface TarHeader {
  name: string;
  type: TarEntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number; // seconds since the epoch
  linkname: string; // target of a symlink or hardlink
  devmajor: number;
  devminor: number;
}

export const typeFlags: Record<TarEntryType, string> = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  char: '3',
  block: '4',
  directory: '5',
  fifo: '6',
};

export class TarFormatError extends Error {
  constructor(message: string) {
    super(`malformed tar: ${message}`);
    this.name = 'TarFormatError';
  }
}
