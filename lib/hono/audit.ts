/**
 * Audit: one JSON line per request. Never carries header values (so never
 * the X-Registry-Auth credentials) nor bodies.
 *
 * @module
 */

/** One audit record. */
export interface AuditRecord {
  /** ISO time the request arrived. */
  time: string;
  /** Token id, or `anonymous`. */
  token: string;
  method: string;
  /** Path and query as received (query values are not secrets in the Docker API). */
  path: string;
  /** Endpoint name, when the path matched one. */
  endpoint?: string;
  /** Policy applied. */
  policy?: string;
  decision: "allow" | "deny";
  /** The rule that allowed or refused. */
  rule: string;
  /** HTTP status sent. */
  status: number;
  /** Response body bytes sent (counted as they stream). */
  bytes: number;
  /** Request body bytes forwarded, when known. */
  bytesIn?: number;
  /** Milliseconds from arrival to the end of the response. */
  ms?: number;
}

/** Where audit records go. */
export type AuditSink = (record: AuditRecord) => void;

/** An audit sink writing one JSON line per record with `write` (a file append, stdout ...). */
export function auditLines(write: (line: string) => void): AuditSink {
  return (record) => write(JSON.stringify(record) + "\n");
}
