// Durations in agent messages and flags are written and read the way the kubelet's Go does.

/** Go's time.Duration.String() of a whole number of milliseconds: 0s, 850ms, 1.234s, 2m3.5s, 1h0m0s. */
export function goDuration(ms: number): string {
  const total = Math.max(0, Math.trunc(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const millis = total % 60_000;
  const seconds = `${Math.floor(millis / 1000)}${millis % 1000 === 0 ? '' : `.${String(millis % 1000).padStart(3, '0').replace(/0+$/, '')}`}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration for what a flag needs ("10s", "1m30s", "500ms", "1.5h"); undefined if it is none. */
export function parseGoDuration(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/gy)];
  if (text === '' || parts.map((p) => p[0]).join('') !== text) return text === '0' ? 0 : undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * unitMs[p[2]!]!, 0);
}
