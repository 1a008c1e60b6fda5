// Builds protobuf bytes by hand so tests state every field number and wire type they send.

export function varint(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    bytes.push(v ? low | 0x80 : low);
  } while (v);
  return Buffer.from(bytes);
}

/** A varint field (int32, int64, bool). */
export function num(field: number, value: number | bigint | boolean): Buffer {
  return Buffer.concat([varint(field << 3), varint(typeof value === 'boolean' ? Number(value) : value)]);
}

/** A length-delimited field: strings, bytes or nested messages (given as their parts). */
export function bytes(field: number, ...parts: (Buffer | string)[]): Buffer {
  const body = Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
  return Buffer.concat([varint((field << 3) | 2), varint(body.length), body]);
}

/** A proto map<string, V> entry: key in field 1, value in field 2. */
export function mapEntry(field: number, key: string, value: Buffer): Buffer {
  return bytes(field, bytes(1, key), value);
}

/** The Kubernetes envelope: "k8s\0" + runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
export function envelope(apiVersion: string, kind: string, ...raw: Buffer[]): Buffer {
  const unknown = Buffer.concat([
    bytes(1, bytes(1, apiVersion), bytes(2, kind)),
    bytes(2, ...raw),
    bytes(4, 'application/vnd.kubernetes.protobuf'),
  ]);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}
