/**
 * The gateway's decision and dispatch, independent of Hono: who asks
 * (token), from where (Host, Origin), for what (endpoint table), under which
 * policy, with which body; then forwarding or the v1.11 translation, and one
 * audit line. The three entry paths (plain requests in plain.ts, hijacked
 * upgrades in hijack.ts, websockets in websocket.ts) all go through
 * {@link Gateway.decide} and {@link Gateway.finish}.
 *
 * @module
 */
import type { Docker } from "../docker.ts";
import { compareVersions } from "../compat/version.ts";
import { checkHost, checkOrigin } from "../policy/access.ts";
import type { AuditRecord, AuditSink } from "./audit.ts";
import { checkContentType, findToken, type TokenEntry } from "./auth.ts";
import { checkRawPath, matchEndpoint, PathRefusal, type RouteMatch } from "./endpoints.ts";
import { GATEWAY_MAX_VERSION } from "./forward.ts";
import { inspectJson } from "./inspect.ts";
import { servePlain } from "./plain.ts";
import { findRule, type Policy, type PresetName, type ResolvedPolicy, resolvePolicy } from "./policy.ts";
import { checkQuery } from "./query_rules.ts";
import { Refusal } from "./refusal.ts";

/** Options of {@link createGateway}. */
export interface GatewayOptions {
  /** The engine to front. */
  docker: Docker;
  /** Policy of requests without a token (when tokens are not required). Default `read-only`. */
  policy?: Policy | PresetName;
  /** Bearer tokens, each with its own policy. */
  tokens?: TokenEntry<Policy | PresetName>[];
  /** Refuse requests without a valid token (401). Default: true when `tokens` are given. */
  requireToken?: boolean;
  /** Largest inspected JSON body, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Host header values served besides loopback names (e.g. `gw.example:2375`). */
  allowedHosts?: string[];
  /** Origins allowed (CORS stays off; this only stops the refusal). Default none. */
  allowedOrigins?: string[];
  /** Where audit records go. Default: none. */
  audit?: AuditSink;
  /** Newest version announced by `/_ping` and `/version`. Default {@link GATEWAY_MAX_VERSION}. */
  maxVersion?: string;
}

/** A request as each entry path sees it (before any body is read). */
export interface GatewayRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** The request target as sent (before normalisation). */
  rawPath: string;
  /** The `Upgrade` asked for (hijack `tcp`, `websocket`), when the request is an upgrade. */
  upgrade?: string;
}

/** Reads a JSON body once the endpoint is known, refusing more than `cap` bytes. */
export type BodyReader = (cap: number) => Promise<Uint8Array>;

/** What {@link Gateway.decide} concluded: a decision (and the JSON to forward) or a refusal, with the audit record. */
export type Verdict =
  | { decision: Decision; json?: string; refusal?: undefined; record: AuditRecord }
  | { decision?: undefined; json?: undefined; refusal: Refusal; record: AuditRecord };

/** An allowed request: what matched and under which rule. */
export interface Decision {
  match: RouteMatch;
  policy: ResolvedPolicy;
  token: string;
  rule: string;
  /** The query string to forward (`?...` or ""). */
  query: string;
}

/** The gateway core (use {@link createGateway} for the Hono app). */
export class Gateway {
  readonly docker: Docker;
  readonly #anonymous: ResolvedPolicy;
  readonly #tokens: TokenEntry<ResolvedPolicy>[];
  readonly #requireToken: boolean;
  readonly #maxBody: number;
  readonly #hosts: string[];
  readonly #origins: string[];
  readonly #audit?: AuditSink;
  readonly #finished = new WeakSet<AuditRecord>();
  readonly maxVersion: string;

  constructor(options: GatewayOptions) {
    this.docker = options.docker;
    this.#anonymous = resolvePolicy(options.policy ?? "read-only");
    this.#tokens = (options.tokens ?? []).map((t) => ({ id: t.id, token: t.token, policy: resolvePolicy(t.policy) }));
    for (const t of this.#tokens) {
      if (t.token.length < 16) throw new Error(`Token ${t.id} is shorter than 16 characters`);
    }
    this.#requireToken = options.requireToken ?? this.#tokens.length > 0;
    this.#maxBody = options.maxBodyBytes ?? 1024 * 1024;
    this.#hosts = options.allowedHosts ?? [];
    this.#origins = options.allowedOrigins ?? [];
    this.#audit = options.audit;
    this.maxVersion = options.maxVersion ?? GATEWAY_MAX_VERSION;
  }

  /** Decide on a request from its method, URL and headers (no body). Throws {@link Refusal}. */
  async authorize(method: string, url: URL, headers: Headers, rawPath: string): Promise<Decision> {
    checkHost(headers.get("host"), this.#hosts);
    checkOrigin(headers, { origins: this.#origins });
    const tok = await findToken(headers, this.#tokens);
    if (!tok && this.#requireToken) throw new Refusal("auth.required", "a bearer token is required", 401);
    const policy = tok?.policy ?? this.#anonymous;
    try {
      checkRawPath(rawPath);
    } catch (err) {
      if (err instanceof PathRefusal) throw Object.assign(new Refusal(err.rule, err.message), { token: tok?.id });
      throw err;
    }
    const match = matchEndpoint(method, url.pathname, url.searchParams);
    if (!match) {
      throw Object.assign(
        new Refusal("deny-default", `${method} ${url.pathname} is not an endpoint the gateway knows`),
        { token: tok?.id },
      );
    }
    const rule = findRule(policy, method, match.name);
    try {
      if (!rule) {
        throw new Refusal(`policy:${policy.name}`, `policy ${policy.name} does not allow ${method} ${match.name}`);
      }
      const query = checkQuery(policy, match.name, url.searchParams);
      return { match, policy, token: tok?.id ?? "anonymous", rule: `${rule.method} ${rule.endpoint}`, query };
    } catch (err) {
      if (err instanceof Refusal) Object.assign(err, { endpoint: match.name, policy: policy.name, token: tok?.id });
      throw err;
    }
  }

  /**
   * The one audited decision of all three entry paths (plain requests,
   * hijacked upgrades, websockets): Host, Origin, token, path, endpoint,
   * policy, query, upgrade kind, content type and, for JSON endpoints, the
   * body (read with `readBody`, inspected, rewritten). Refusals (and errors,
   * as rule `error`) come back as values with the record filled in; finish
   * the record with {@link finish}.
   */
  async decide(req: GatewayRequest, readBody?: BodyReader): Promise<Verdict> {
    const record: AuditRecord = {
      time: new Date().toISOString(),
      token: "anonymous",
      method: req.method,
      path: req.url.pathname + req.url.search,
      decision: "deny",
      rule: "",
      status: 0,
      bytes: 0,
    };
    try {
      const d = await this.authorize(req.method, req.url, req.headers, req.rawPath);
      Object.assign(record, { token: d.token, endpoint: d.match.name, policy: d.policy.name, rule: d.rule });
      const up = req.upgrade?.toLowerCase();
      if (up !== undefined && (up === "websocket" ? !d.match.def.websocket : up !== "tcp" || !d.match.def.hijack)) {
        throw new Refusal("upgrade", `${d.match.name} cannot be upgraded to ${up || "nothing"}`, 400);
      }
      const ct = req.headers.get("content-type");
      let json: string | undefined;
      if (d.match.def.body === "json") {
        const declared = Number(req.headers.get("content-length") ?? "0");
        if (declared > this.#maxBody) {
          throw new Refusal("body.size", `the body (${declared} bytes) is larger than ${this.#maxBody} bytes`, 413);
        }
        const bytes = readBody ? await readBody(this.#maxBody) : new Uint8Array(0);
        record.bytesIn = bytes.byteLength;
        checkContentType(ct, true, bytes.byteLength > 0);
        json = inspectJson(d.policy, d.match.name, bytes);
      } else {
        checkContentType(ct, false, false);
      }
      record.decision = "allow";
      return { decision: d, json, record };
    } catch (err) {
      const r = err instanceof Refusal
        ? err
        : new Refusal("error", `gateway error: ${(err as Error)?.message ?? err}`, 500);
      this.refused(record, r);
      return { refusal: r, record };
    }
  }

  /** Mark a record refused (by the decision, or by a check after it). */
  refused(record: AuditRecord, r: Refusal): void {
    record.decision = "deny";
    record.rule = r.rule;
    record.endpoint ??= r.endpoint;
    if (r.token) record.token = r.token;
    record.policy ??= r.policy;
  }

  /** Finish a record: the status sent, the response bytes (when counted), the time taken; written once. */
  finish(record: AuditRecord, status: number, bytes?: number): void {
    if (this.#finished.has(record)) return;
    this.#finished.add(record);
    record.status = status;
    if (bytes !== undefined) record.bytes = bytes;
    record.ms = Date.now() - Date.parse(record.time);
    try {
      this.#audit?.(record);
    } catch { /* auditing never breaks a request */ }
  }

  /** Whether a decided request is answered through the v1.11 translations. */
  legacy(d: Decision): boolean {
    return d.match.version !== null && compareVersions(d.match.version, "1.11") <= 0;
  }

  /** Handle one plain request end to end. `rawPath`: the path as sent, when the server knows it. */
  handle(req: Request, rawPath?: string): Promise<Response> {
    return servePlain(this, req, rawPath);
  }
}
