// A blob is trusted only once its bytes hash to the digest that named it. The stream is checked as
// it passes; consumers must not keep what they wrote until the stream ended without error.
import { createHash } from 'node:crypto';
import { parseDigest, type Descriptor } from '../oci/types.ts';
import { RegistryError } from './errors.ts';

export async function* verifiedBlob(body: AsyncIterable<Uint8Array>, descriptor: Pick<Descriptor, 'digest' | 'size'>): AsyncGenerator<Buffer> {
  const expected = parseDigest(descriptor.digest).hex;
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > descriptor.size) {
      throw new RegistryError('DigestMismatch', `blob ${descriptor.digest} is larger than its descriptor's ${descriptor.size} bytes`);
    }
    hash.update(chunk);
    yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  const actual = hash.digest('hex');
  if (size !== descriptor.size || actual !== expected) {
    throw new RegistryError('DigestMismatch', `blob ${descriptor.digest} has digest sha256:${actual} and ${size} bytes (want ${descriptor.size})`);
  }
}
