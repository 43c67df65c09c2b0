/**
 * The gateway's decision and dispatch, independent of Hono: who asks
 * (token), from where (Host, Origin), for what (endpoint table), under which
 * policy, with which body; then forwarding or the v1.11 translation, and one
 * audit line. The Hono app in mod.ts and the hijack path in hijack.ts both
 * go through {@link Gateway.authorize}.
 *
 * @module
 */
import type { Docker } from "../docker.ts";
import { compareVersions } from "../compat/version.ts";
import { DockerError, EngineUnreachableError } from "../errors.ts";
import { type AuditRecord, type AuditSink, countingStream } from "./audit.ts";
import { checkContentType, checkHost, checkOrigin, findToken, type TokenEntry } from "./auth.ts";
import { checkRawPath, matchEndpoint, PathRefusal, type RouteMatch } from "./endpoints.ts";
import { forward, GATEWAY_MAX_VERSION } from "./forward.ts";
import { inspectJson, readCappedBody } from "./inspect.ts";
import { findRule, type Policy, type PresetName, type ResolvedPolicy, resolvePolicy } from "./policy.ts";
import { checkQuery } from "./query_rules.ts";
import { Refusal } from "./refusal.ts";
import { serveV111 } from "./v111.ts";

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
  authorize(method: string, url: URL, headers: Headers, rawPath: string): Decision {
    checkHost(headers.get("host"), this.#hosts);
    checkOrigin(headers, this.#origins);
    const tok = findToken(headers, this.#tokens);
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

  /** Whether a decided request is answered through the v1.11 translations. */
  legacy(d: Decision): boolean {
    return d.match.version !== null && compareVersions(d.match.version, "1.11") <= 0;
  }

  /** Write an audit record. */
  audit(rec: AuditRecord): void {
    try {
      this.#audit?.(rec);
    } catch { /* auditing never breaks a request */ }
  }

  /** Handle one request end to end. `rawPath`: the path as sent, when the server knows it. */
  async handle(req: Request, rawPath?: string): Promise<Response> {
    const started = Date.now();
    const url = new URL(req.url);
    const rec: AuditRecord = {
      time: new Date(started).toISOString(),
      token: "anonymous",
      method: req.method,
      path: url.pathname + url.search,
      decision: "deny",
      rule: "",
      status: 0,
      bytes: 0,
    };
    const done = (res: Response): Response => {
      rec.status = res.status;
      if (!res.body) {
        rec.ms = Date.now() - started;
        this.audit(rec);
        return res;
      }
      const body = countingStream(res.body, (bytes) => {
        rec.bytes = bytes;
        rec.ms = Date.now() - started;
        this.audit(rec);
      });
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    };
    try {
      const d = this.authorize(req.method, url, req.headers, rawPath ?? url.pathname);
      Object.assign(rec, { token: d.token, endpoint: d.match.name, policy: d.policy.name, rule: d.rule });
      const ct = req.headers.get("content-type");
      let json: string | undefined;
      let stream: ReadableStream<Uint8Array> | null = null;
      if (d.match.def.body === "json") {
        const declared = Number(req.headers.get("content-length") ?? "0");
        if (declared > this.#maxBody) {
          throw new Refusal("body.size", `the body (${declared} bytes) is larger than ${this.#maxBody} bytes`, 413);
        }
        const bytes = await readCappedBody(req.body, this.#maxBody);
        rec.bytesIn = bytes.byteLength;
        checkContentType(ct, true, bytes.byteLength > 0);
        json = inspectJson(d.policy, d.match.name, bytes);
      } else if (d.match.def.body === "stream") {
        checkContentType(ct, false, true);
        stream = req.body;
      } else {
        checkContentType(ct, false, false);
        await req.body?.cancel().catch(() => {});
      }
      rec.decision = "allow";
      if (this.legacy(d)) {
        const body = json === undefined ? undefined : JSON.parse(json);
        return done(await serveV111(this.docker, d.match, new URLSearchParams(d.query), body, req.signal));
      }
      return done(
        await forward(this.docker.client, {
          method: req.method,
          pathAndQuery: d.match.path + d.query,
          version: d.match.version,
          headers: req.headers,
          json,
          stream,
          signal: req.signal,
          endpoint: d.match.name,
          maxVersion: this.maxVersion,
        }),
      );
    } catch (err) {
      if (err instanceof Refusal) {
        rec.decision = "deny";
        rec.rule = err.rule;
        rec.endpoint ??= err.endpoint;
        if (err.token) rec.token = err.token;
        rec.policy ??= err.policy;
        return done(err.toResponse());
      }
      const status = err instanceof EngineUnreachableError ? 502 : 500;
      const message = err instanceof DockerError ? err.message : `gateway error: ${(err as Error)?.message ?? err}`;
      rec.rule ||= "error";
      return done(
        new Response(JSON.stringify({ message }), { status, headers: { "content-type": "application/json" } }),
      );
    }
  }
}
