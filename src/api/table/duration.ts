// Ages as kubectl shows them: apimachinery duration.HumanDuration, and the printers'
// translateTimestampSince ("<unknown>" for a zero time).

/** "45s", "3m20s", "95m", "5h3m", "26h", "3d4h", "45d", "2y30d", "9y". */
export function humanDuration(ms: number): string {
  // Go truncates durations toward zero when converting to whole units.
  const seconds = Math.trunc(ms / 1000);
  // Up to two seconds in the future is clock skew between machines, so "now".
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const years = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** The age of a timestamp (RFC 3339 text, as objects carry it) at `now`. */
export function translateTimestampSince(timestamp: string | undefined | null, now: Date): string {
  const time = timestamp ? Date.parse(timestamp) : NaN;
  // A missing or unparsable timestamp is Go's zero time.
  if (Number.isNaN(time)) return '<unknown>';
  return humanDuration(now.getTime() - time);
}
