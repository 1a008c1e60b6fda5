// A cluster CIDR cut into equal node subnets, with a bitmap of the ones in use — the
// kube-controller-manager's cidrset. Allocation is round robin from the subnet after the last
// one handed out, so a freed subnet is reused only after the others, which keeps a deleted
// node's pod IPs out of circulation as long as possible. IPv4 only.

export class CidrSetError extends Error {
  readonly exhausted: boolean;

  constructor(message: string, exhausted = false) {
    super(message);
    this.name = 'CidrSetError';
    this.exhausted = exhausted;
  }
}

export const noCIDRsRemainingMessage = 'CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range';

interface Cidr {
  base: number;
  prefix: number;
}

/** Larger maps would make the bitmap the size of the address space; kube caps it the same way. */
const maxSubnetBits = 16;

export class CidrSet {
  readonly clusterCIDR: string;
  readonly subnetMaskSize: number;
  private readonly cluster: Cidr;
  private readonly used: Uint8Array;
  private nextCandidate = 0;
  private allocatedCount = 0;

  constructor(clusterCIDR: string, subnetMaskSize: number) {
    this.cluster = parseCIDR(clusterCIDR);
    this.clusterCIDR = format(this.cluster);
    if (subnetMaskSize < this.cluster.prefix || subnetMaskSize > 32) {
      throw new CidrSetError(`node CIDR mask size /${subnetMaskSize} must lie between the cluster CIDR's /${this.cluster.prefix} and /32`);
    }
    if (subnetMaskSize - this.cluster.prefix > maxSubnetBits) {
      throw new CidrSetError(`CIDRSet: subnet mask size /${subnetMaskSize} is too big for cluster CIDR ${this.clusterCIDR}: at most ${maxSubnetBits} bits of difference`);
    }
    this.subnetMaskSize = subnetMaskSize;
    this.used = new Uint8Array(2 ** (subnetMaskSize - this.cluster.prefix));
  }

  get size(): number {
    return this.used.length;
  }

  get allocated(): number {
    return this.allocatedCount;
  }

  allocateNext(): string {
    for (let i = 0; i < this.used.length; i++) {
      const candidate = (this.nextCandidate + i) % this.used.length;
      if (this.used[candidate]) continue;
      this.mark(candidate, candidate, 1);
      this.nextCandidate = (candidate + 1) % this.used.length;
      return format({ base: this.subnetBase(candidate), prefix: this.subnetMaskSize });
    }
    throw new CidrSetError(noCIDRsRemainingMessage, true);
  }

  /** Marks every subnet `cidr` overlaps as used (a node may hold a larger or smaller block). */
  occupy(cidr: string): void {
    const [begin, end] = this.indices(cidr);
    this.mark(begin, end, 1);
  }

  release(cidr: string): void {
    const [begin, end] = this.indices(cidr);
    this.mark(begin, end, 0);
  }

  contains(cidr: string): boolean {
    try {
      this.indices(cidr);
      return true;
    } catch {
      return false;
    }
  }

  private indices(text: string): [number, number] {
    const cidr = parseCIDR(text);
    const overlapPrefix = Math.min(cidr.prefix, this.cluster.prefix);
    if (network(cidr.base, overlapPrefix) !== network(this.cluster.base, overlapPrefix)) {
      throw new CidrSetError(`cidr ${text} is out the range of cluster cidr ${this.clusterCIDR}`);
    }
    const first = Math.max(cidr.base, this.cluster.base);
    const last = Math.min(cidr.base + 2 ** (32 - cidr.prefix) - 1, this.cluster.base + 2 ** (32 - this.cluster.prefix) - 1);
    const shift = 2 ** (32 - this.subnetMaskSize);
    return [Math.floor((first - this.cluster.base) / shift), Math.floor((last - this.cluster.base) / shift)];
  }

  private mark(begin: number, end: number, value: 0 | 1): void {
    for (let i = begin; i <= end; i++) {
      if (this.used[i] !== value) this.allocatedCount += value ? 1 : -1;
      this.used[i] = value;
    }
  }

  private subnetBase(index: number): number {
    return this.cluster.base + index * 2 ** (32 - this.subnetMaskSize);
  }
}

function parseCIDR(text: string): Cidr {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : NaN;
  if (!m || octets.some((o) => o > 255) || prefix > 32) throw new CidrSetError(`invalid IPv4 CIDR address: ${text}`);
  const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { base: network(ip, prefix), prefix };
}

/** The address with host bits cleared; arithmetic, since JS bit operators are signed 32-bit. */
function network(ip: number, prefix: number): number {
  const size = 2 ** (32 - prefix);
  return Math.floor(ip / size) * size;
}

function format(cidr: Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.base / 2 ** shift) % 256);
  return `${octets.join('.')}/${cidr.prefix}`;
}
