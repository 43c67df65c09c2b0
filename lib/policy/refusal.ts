/**
 * The one exception a policy check throws (gateway and MCP server alike), and
 * how the gateway turns it into a response:
 * `403` (or `401`, `413`) with a JSON `message` that names the rule, which the
 * docker CLI prints as `Error response from daemon: ...`.
 *
 * @module
 */

/** A request the gateway refuses. */
export class Refusal extends Error {
  /** The rule that refused it: `HostConfig.Privileged`, `policy:operator`, `path.percent-encoding` ... */
  readonly rule: string;
  /** HTTP status (403 unless said otherwise). */
  readonly status: number;
  /** Endpoint and policy, when the refusal came after the endpoint matched (for the audit line). */
  endpoint?: string;
  policy?: string;
  /** Token id, when the request named a valid one. */
  token?: string;
  constructor(rule: string, message: string, status = 403) {
    super(message);
    this.name = "Refusal";
    this.rule = rule;
    this.status = status;
  }

  /** The JSON body sent to the client. */
  toJSON(): { message: string; rule: string } {
    return { message: `dockwire gateway refused the request (rule ${this.rule}): ${this.message}`, rule: this.rule };
  }

  /** The response sent to the client. */
  toResponse(): Response {
    return new Response(JSON.stringify(this.toJSON()), {
      status: this.status,
      headers: { "content-type": "application/json" },
    });
  }
}
