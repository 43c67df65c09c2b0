/**
 * The request pipeline every endpoint goes through: host resolution, API
 * version negotiation, header timeout, abort, and engine errors as typed
 * {@link DockerError}s.
 *
 * @module
 */
import {
  ApiVersionError,
  DockerArgumentError,
  DockerError,
  EngineUnreachableError,
  errorClassFor,
  TimeoutError,
  UnsupportedError,
} from "./errors.ts";
import { currentRuntime, fetchTransport } from "./transport/fetch.ts";
import { parseHost } from "./transport/host.ts";
import { envLookup, type ResolvedEngine, resolveEngine } from "./transport/engine.ts";
import { naming } from "./transport/looked.ts";
import { type SshOptions, sshTransport } from "./transport/ssh.ts";
import type { BodyKind, FetchLike, HostSpec, SendResponse, TlsMaterial, Transport } from "./transport/types.ts";
import { compareVersions } from "./compat/version.ts";
import { concatBytes } from "./bytes.ts";
import { type BodyLifetime, ownBody } from "./body_lifetime.ts";
import { watchBody, type WatchedBody } from "./request_body.ts";
import { type JsonExpect, parseJsonAnswer } from "./json_answer.ts";

/** How to reach the engine and how to talk to it. */
export interface ClientOptions {
  /**
   * Engine address: `unix:///path`, `tcp://host:port`, `http://...`, `https://...`,
   * `ssh://[user@]host[:port]`. Default: the `context` option, DOCKER_HOST,
   * DOCKER_CONTEXT, config.json's currentContext, else the first default
   * socket that exists (see README "Finding the engine").
   */
  host?: string;
  /** A docker context by name (`docker context ls`); `default` means none. Not together with `host`. */
  context?: string;
  /** The environment to resolve the engine from (DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG, ...). Default: the process's. */
  env?: Record<string, string | undefined>;
  /** How to run ssh for `ssh://` hosts (program, extra arguments such as `-i KEY`). */
  ssh?: SshOptions;
  /**
   * `true`: speak TLS to a `tcp://` host and verify the engine's certificate
   * (DOCKER_TLS_VERIFY). `false`: when TLS is on anyway (an `https://` host,
   * `certPath` or `tls` given), do not verify the engine's certificate; Node and
   * Bun honour it, Deno refuses it with an `UnsupportedError` (its fetch
   * client cannot skip verification). Default: DOCKER_TLS_VERIFY, else `true`
   * whenever TLS is on.
   */
  tlsVerify?: boolean;
  /**
   * Folder with ca.pem, cert.pem, key.pem (the DOCKER_CERT_PATH layout); turns
   * TLS on for `tcp://` hosts. Default with DOCKER_TLS_VERIFY: DOCKER_CERT_PATH,
   * else `~/.docker`.
   */
  certPath?: string;
  /** TLS material as PEM text (overrides files from certPath); turns TLS on for `tcp://` hosts. */
  tls?: TlsMaterial;
  /** Pin the API version (e.g. "1.44"): sent exactly, no negotiation. Default: negotiate. */
  version?: string;
  /** Milliseconds to wait for response headers (bodies may stream longer). Default 60000; 0 disables. */
  timeout?: number;
  /**
   * A fetch to send requests with (edge runtimes, proxies). TCP engines only;
   * TLS settings (certPath, tls) cannot be applied to it and are refused.
   */
  fetch?: FetchLike;
  /**
   * A ready transport (advanced: overrides host, tls and fetch). One written
   * against the older fetch-shaped seam (`{ address, fetch(request) }`) works
   * too, through a Request per call.
   */
  transport?: Transport | { address: string; fetch: FetchLike; dial?: Transport["dial"]; close?: () => void };
}

/** Query values: undefined is left out, booleans become 1/0, objects JSON. */
export type QueryValue = string | number | boolean | undefined | null | Record<string, unknown>;

/** One request, as the endpoints describe it. */
export interface RequestSpec {
  method: string;
  /** Path without the version prefix, e.g. `/containers/json`. */
  path: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** JSON body (serialised here) ... */
  json?: unknown;
  /** ... or a raw body; a stream is sent as it comes (chunked). */
  body?: ReadableStream<Uint8Array> | Uint8Array | string;
  signal?: AbortSignal;
  /** Header timeout for this call; Infinity or 0 for none. */
  timeout?: number;
  /** Statuses that are answers, not errors (e.g. 304 for start/stop). */
  ok?: number[];
  /** What the call does, for error messages: `list containers`. */
  action?: string;
  /** Send at this version (`null`: no version prefix) instead of the negotiated one. */
  version?: string | null;
  /** For `json()`: what the answer must be; anything else is an UnexpectedResponseError. */
  expect?: JsonExpect;
}

/** What negotiation settled on. */
export interface ApiVersionInfo {
  /** The version requests are sent at. */
  version: string;
  /** Lowest version the engine accepts, when it says. */
  min?: string;
  /** Highest version the engine accepts. */
  max?: string;
  /** Whether the version was pinned by the caller. */
  pinned: boolean;
}

const ERROR_BODY_CAP = 64 * 1024;
const CONTRACT_VERSION = "1.11";
/** Every HTTP status: what `raw` accepts as an answer. */
const ANY_STATUS = Array.from({ length: 500 }, (_, i) => i + 100);

/**
 * The low-level client: one per engine. {@link Docker} builds on it; use
 * `request` directly for endpoints outside the v1.11 set.
 */
export class DockerClient {
  /** How requests reach the engine. */
  readonly transport: Transport;
  /** The parsed engine address. */
  readonly host: HostSpec;
  /** How the engine was found (which setting, which context). */
  readonly engine: ResolvedEngine;
  readonly #timeout: number;
  readonly #pinned?: string;
  #negotiation?: Promise<ApiVersionInfo>;
  /** The negotiated version once known: later calls need no await for it. */
  #settled?: ApiVersionInfo;

  constructor(options: ClientOptions = {}) {
    const rt = currentRuntime();
    const env = envLookup(options.env);
    this.engine = resolveEngine({ host: options.host, context: options.context, env: options.env });
    const fromContext = this.engine.context !== undefined;
    // DOCKER_TLS_VERIFY (any value but "" and "0") turns TLS on with verification, like the docker CLI;
    // a context carries its own TLS settings instead.
    const tlsVerifyEnv = fromContext ? undefined : env("DOCKER_TLS_VERIFY");
    const envTls = tlsVerifyEnv !== undefined && tlsVerifyEnv !== "" && tlsVerifyEnv !== "0";
    const secure = options.tlsVerify === true || options.tls !== undefined || options.certPath !== undefined ||
      this.engine.tls !== undefined || (options.tlsVerify === undefined && envTls);
    const address = this.engine.address;
    this.host = parseHost(address, secure);
    if (options.version !== undefined && !/^1\.\d{1,3}$/.test(options.version)) {
      throw new DockerArgumentError(
        `Invalid version ${JSON.stringify(options.version)}: expected an API version like "1.44"`,
        "version",
        options.version,
      );
    }
    if (options.timeout !== undefined && !(options.timeout >= 0)) {
      throw new DockerArgumentError(`Invalid timeout ${options.timeout}: must be >= 0`, "timeout", options.timeout);
    }
    this.#pinned = options.version;
    if (options.version) this.#settled = { version: options.version, pinned: true };
    this.#timeout = options.timeout ?? 60_000;
    const https = this.host.scheme === "https";
    const home = env("HOME");
    const certPath = options.certPath ??
      (https && envTls && options.tlsVerify !== false
        ? env("DOCKER_CERT_PATH") || (home ? `${home}/.docker` : undefined)
        : undefined);
    const tls: TlsMaterial | undefined = https
      ? {
        ...this.engine.tls,
        ...options.tls,
        verify: options.tlsVerify ?? options.tls?.verify ?? this.engine.tls?.verify ?? true,
      }
      : undefined;
    const explicitTls = options.certPath !== undefined || options.tls?.ca !== undefined ||
      options.tls?.cert !== undefined || options.tls?.key !== undefined || options.tlsVerify === false;
    if (options.transport) this.transport = sendingTransport(options.transport, this.host);
    else if (this.host.scheme === "ssh") {
      if (!rt?.spawn || options.fetch) {
        throw new UnsupportedError(
          `Cannot use ${address} ${
            options.fetch ? "with a fetch" : `on ${rt ? `the ${rt.name} runtime` : "a runtime without a runtime entry"}`
          }: ssh:// needs to run ssh; use dockwire/node, dockwire/deno or dockwire/bun without a fetch`,
        );
      }
      this.transport = sshTransport(this.host, rt.spawn, options.ssh);
    } else if (this.host.scheme === "unix" && !rt) {
      throw new DockerArgumentError(
        `Cannot use ${address} ${
          options.fetch ? "with a fetch" : "without a runtime entry"
        }: fetch cannot reach a unix socket; import from "dockwire/node", "dockwire/deno" or "dockwire/bun", or pass a tcp:// host`,
        "host",
        address,
      );
    } else if (this.host.scheme === "unix" && options.fetch) {
      throw new DockerArgumentError(
        `Cannot use ${address} with a fetch: fetch cannot reach a unix socket; leave out the fetch option or pass a tcp:// host`,
        "fetch",
        address,
      );
    } else if ((options.fetch || !rt) && https && explicitTls) {
      throw new DockerArgumentError(
        `Cannot apply certPath/tls/tlsVerify to ${address} ${
          options.fetch ? "through a caller's fetch: configure TLS in that fetch" : "without a runtime entry"
        }`,
        options.fetch ? "fetch" : "tls",
        address,
      );
    } else if (options.fetch) this.transport = fetchTransport(this.host, options.fetch);
    else if (rt) this.transport = rt.createTransport({ host: this.host, tls, certPath });
    else this.transport = fetchTransport(this.host);
    if (this.engine.looked) this.transport = naming(this.transport, this.engine.looked);
  }

  /** The version requests go at, once negotiated (or pinned); undefined before. */
  get settledVersion(): string | undefined {
    return this.#settled?.version;
  }

  /** The default header timeout of this client, in milliseconds (0: none). */
  get timeout(): number {
    return this.#timeout;
  }

  /**
   * The API version requests are sent at, negotiating once (shared by
   * concurrent first calls). `timeout` bounds each negotiation request's
   * headers (default: the client's timeout).
   */
  apiVersion(signal?: AbortSignal, timeout?: number): Promise<ApiVersionInfo> {
    if (this.#pinned) return Promise.resolve({ version: this.#pinned, pinned: true });
    if (!this.#negotiation) {
      // Shared by every caller, so no one caller's signal ends it; each caller stops at its own.
      const p = this.#negotiate(timeout);
      this.#negotiation = p;
      p.then((info) => {
        if (this.#negotiation === p) this.#settled = info;
      }, () => {});
      p.catch(() => {
        if (this.#negotiation === p) this.#negotiation = undefined;
      });
    }
    // A caller that joins a negotiation started by another still stops at its own signal.
    return signal ? untilAborted(this.#negotiation, signal) : this.#negotiation;
  }

  async #negotiate(timeout?: number): Promise<ApiVersionInfo> {
    let max: string | undefined;
    let min: string | undefined;
    const ping = await this.send({
      method: "GET",
      path: "/_ping",
      version: null,
      timeout,
      action: "negotiate the API version",
    });
    max = ping.headers.get("api-version") ?? undefined;
    await ping.body?.cancel();
    // _ping names the newest version only; /version also names the oldest.
    try {
      const body = await this.json<{ ApiVersion?: string; MinAPIVersion?: string }>({
        method: "GET",
        path: "/version",
        version: null,
        timeout,
        action: "negotiate the API version",
        expect: { kind: "object", fields: { ApiVersion: "string", MinAPIVersion: "string" } },
      });
      max ??= body?.ApiVersion;
      min = body?.MinAPIVersion;
    } catch (err) {
      if (!max) throw err;
    }
    if (!max) {
      throw new DockerError(`Cannot negotiate the API version with ${this.host.address}: the engine names none`);
    }
    let version = CONTRACT_VERSION;
    if (min && compareVersions(min, CONTRACT_VERSION) > 0) version = min;
    if (compareVersions(max, version) < 0) version = max;
    return { version, min, max, pinned: false };
  }

  /**
   * Send a request; resolve with the status, headers and body once the headers
   * are in. Engine errors (statuses outside 2xx and `spec.ok`) become typed
   * errors. The caller's signal ends the body too (see lib/body_lifetime.ts).
   */
  async send(spec: RequestSpec, streamed?: boolean): Promise<SendResponse> {
    const version = spec.version !== undefined
      ? spec.version
      : this.#settled?.version ?? (await this.apiVersion(spec.signal, spec.timeout)).version;
    const path = (version ? `/v${version}` : "") + spec.path + encodeQuery(spec.query);
    const headers: Record<string, string> = {};
    if (spec.headers) { for (const k in spec.headers) headers[k.toLowerCase()] = spec.headers[k]; }
    let bodyKind: BodyKind = "none";
    let body: Uint8Array | ReadableStream<Uint8Array> | undefined;
    let watched: WatchedBody | undefined;
    if (spec.json !== undefined) {
      headers["content-type"] = "application/json";
      body = utf8.encode(JSON.stringify(spec.json));
      bodyKind = "bytes";
    } else if (spec.body !== undefined) {
      body = typeof spec.body === "string" ? utf8.encode(spec.body) : spec.body;
      bodyKind = body instanceof ReadableStream ? "stream" : "bytes";
      if (body instanceof ReadableStream) body = (watched = watchBody(body)).body;
    }
    const timeout = spec.timeout ?? this.#timeout;
    const ctl = new AbortController();
    const signal = spec.signal;
    if (signal?.aborted) throw signal.reason;
    // One listener on the caller's signal for the whole call, removed when the
    // call ends: on an error, at once for a bodiless answer, else when the body
    // is read to the end, cancelled or fails (see ownBody).
    let lifetime: BodyLifetime | undefined;
    const onAbort = () => {
      ctl.abort(signal!.reason);
      lifetime?.abort(signal!.reason);
    };
    const release = () => signal?.removeEventListener("abort", onAbort);
    signal?.addEventListener("abort", onAbort, { once: true });
    let timedOut = false;
    const timer = timeout > 0 && Number.isFinite(timeout)
      ? setTimeout(() => {
        timedOut = true;
        ctl.abort(new DOMException("header timeout", "TimeoutError"));
      }, timeout)
      : undefined;
    let res: SendResponse;
    try {
      res = await this.transport.send({
        method: spec.method,
        path,
        headers,
        bodyKind,
        body,
        signal: ctl.signal,
        ...(streamed ? { streamed } : {}),
      });
    } catch (err) {
      release();
      throw this.#sendError(err, spec, timedOut ? timeout : undefined, watched?.failure());
    } finally {
      clearTimeout(timer);
    }
    if (res.status >= 200 && res.status < 300 || spec.ok?.includes(res.status)) {
      if (!signal) return res;
      if (!res.body) {
        release();
        return res;
      }
      lifetime = ownBody(res.body, signal, release);
      // The signal may have fired between the headers and here.
      if (signal.aborted) lifetime.abort(signal.reason);
      return { ...res, body: lifetime.body };
    }
    // The caller's signal still cancels the (capped) error body read.
    try {
      throw await this.#engineError(res, spec, version ?? undefined);
    } finally {
      release();
    }
  }

  /**
   * What a failed send becomes: the timeout, the caller's abort reason, the
   * request body's own error (never "unreachable": the engine was reached), or
   * one EngineUnreachableError.
   */
  #sendError(err: unknown, spec: RequestSpec, timedOutAfter?: number, body?: { error: unknown }): unknown {
    const action = spec.action ?? `${spec.method} ${spec.path}`;
    const at = { method: spec.method, path: spec.path, cause: err };
    if (timedOutAfter !== undefined) {
      return new TimeoutError(
        `Cannot ${action}: no answer from ${this.host.address} within ${timedOutAfter} ms`,
        timedOutAfter,
        at,
      );
    }
    if (spec.signal?.aborted) return spec.signal.reason;
    if (body) {
      if (body.error instanceof DockerError) return body.error;
      return new DockerError(
        `Cannot ${action}: the request body failed: ${(body.error as Error)?.message ?? body.error}`,
        {
          ...at,
          cause: body.error,
        },
      );
    }
    if (err instanceof EngineUnreachableError) {
      return new EngineUnreachableError(`Cannot ${action}: ${err.message}`, err.address, {
        ...at,
        cause: err.cause ?? err,
      });
    }
    if (err instanceof DockerError) return err;
    return new EngineUnreachableError(
      `Cannot ${action}: ${this.host.address}: ${(err as Error)?.message ?? err}`,
      this.host.address,
      at,
    );
  }

  /** Send a request and return the response once its headers are in; engine errors become typed errors. */
  async request(spec: RequestSpec): Promise<Response> {
    const res = await this.send(spec);
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers: res.headers });
  }

  async #engineError(res: SendResponse, spec: RequestSpec, version?: string): Promise<DockerError> {
    const text = await readCapped(res, ERROR_BODY_CAP);
    let message = text.trim();
    if ((res.headers.get("content-type") ?? "").includes("json") || message.startsWith("{")) {
      try {
        const m = JSON.parse(message)?.message;
        if (typeof m === "string") message = m;
      } catch { /* plain text after all */ }
    }
    const at = { method: spec.method, path: spec.path, status: res.status, engineMessage: message };
    const action = spec.action ?? `${spec.method} ${spec.path}`;
    if (res.status === 400 && version && /client version .* is too (old|new)|API version/i.test(message)) {
      const min = /minimum supported API version is ([\d.]+)/i.exec(message)?.[1];
      const max = /maximum supported API version is ([\d.]+)/i.exec(message)?.[1];
      let range = { min, max };
      if (!min || !max) {
        try {
          const r = await this.request({
            method: "GET",
            path: "/version",
            version: null,
            action: "read the engine's versions",
          });
          const b = await r.json() as { ApiVersion?: string; MinAPIVersion?: string };
          range = { min: min ?? b.MinAPIVersion, max: max ?? b.ApiVersion };
        } catch { /* keep what the message said */ }
      }
      return new ApiVersionError(
        `Cannot ${action}: the engine at ${this.host.address} refused API version ${version} (it accepts ${
          range.min ?? "?"
        } to ${range.max ?? "?"}): ${message}`,
        version,
        range,
        at,
      );
    }
    const Cls = errorClassFor(res.status);
    return new Cls(`Cannot ${action}: ${message || `HTTP ${res.status}`}`, at);
  }

  /**
   * Send a request and return the engine's response unchanged, whatever its
   * status (4xx/5xx included): for gateways and proxies that pass the engine's
   * answer through. Unreachable engines, timeouts and aborts still throw.
   */
  raw(spec: Omit<RequestSpec, "ok">): Promise<Response> {
    return this.request({ ...spec, ok: ANY_STATUS });
  }

  /** Send a request and read its (small) answer as UTF-8 text. */
  async text(spec: RequestSpec): Promise<string> {
    return await readText((await this.send(spec)).body);
  }

  /**
   * Send a request and parse its JSON answer (undefined for an empty one unless
   * `spec.expect` needs a value). An answer that is not JSON, or not what
   * `spec.expect` names, is an UnexpectedResponseError.
   */
  async json<T>(spec: RequestSpec): Promise<T> {
    const res = await this.send(spec);
    const text = await readText(res.body);
    const at = {
      action: spec.action ?? `${spec.method} ${spec.path}`,
      method: spec.method,
      path: spec.path,
      status: res.status,
      contentType: res.headers.get("content-type") ?? "",
    };
    return parseJsonAnswer(text, at, spec.expect) as T;
  }

  /** Send a request and discard its (small) answer; returns the status. */
  async empty(spec: RequestSpec): Promise<number> {
    const res = await this.send(spec);
    await res.body?.cancel();
    return res.status;
  }

  /** Send a request whose answer streams; returns the body stream. */
  async stream(spec: RequestSpec): Promise<ReadableStream<Uint8Array>> {
    const res = await this.send(spec, true);
    return res.body ?? new ReadableStream({ start: (c) => c.close() });
  }

  /** Release pooled connections. */
  close(): void {
    this.transport.close?.();
  }
}

/**
 * A transport as the client uses it. A transport written against the older
 * fetch-shaped seam (`fetch(request)` only) still works: its sends go
 * through a Request.
 */
function sendingTransport(given: NonNullable<ClientOptions["transport"]>, host: HostSpec): Transport {
  const t = given as Partial<Transport> & { fetch?: FetchLike; address: string };
  if (typeof t.send === "function") return t as Transport;
  if (typeof t.fetch !== "function") {
    throw new DockerArgumentError("Invalid transport: it has neither send() nor fetch()", "transport", t.address);
  }
  return { ...fetchTransport(host, t.fetch), dial: t.dial, close: t.close, address: t.address ?? host.address };
}

/** Settle with `p`, or reject with the signal's reason as soon as it aborts. */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Encode a query object: undefined/null left out, booleans as 1/0, objects as JSON. */
export function encodeQuery(query?: Record<string, QueryValue>): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    if (typeof v === "boolean") params.set(k, v ? "1" : "0");
    else if (typeof v === "object") params.set(k, JSON.stringify(v));
    else params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

/** A whole (small) body as UTF-8 text. */
async function readText(body: ReadableStream<Uint8Array> | null): Promise<string> {
  if (!body) return "";
  const parts: Uint8Array[] = [];
  let n = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    n += value.byteLength;
  }
  return utf8Decoder.decode(parts.length === 1 ? parts[0] : concatBytes(parts));
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Read at most `cap` bytes of a body as text, then drop the rest. */
export async function readCapped(res: { body: ReadableStream<Uint8Array> | null }, cap: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let n = 0;
  try {
    while (n < cap) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      n += value.byteLength;
    }
  } catch {
    /* a broken error body still yields what arrived */
  } finally {
    reader.cancel().catch(() => {});
  }
  return new TextDecoder().decode(concatBytes(parts, cap));
}
