// A finished response for handlers that compute a whole body (discovery, OpenAPI, version).
export interface SimpleResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** The parts of a request such handlers look at. */
export interface SimpleRequest {
  /** Path without the query string, e.g. /openapi/v3/api/v1 */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
}
