/** metav1.Time on the wire: RFC 3339 with second precision. */
export function metaTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
