// Progress lines on stdout while the benchmark runs.
export function log(what: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${what}`);
}
