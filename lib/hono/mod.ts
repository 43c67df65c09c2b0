/**
 * `dockwire/hono`: the Docker API as Hono handlers, behind a deny-by-default
 * policy. Point the docker CLI, dockerode or docker-py at it
 * (`DOCKER_HOST=tcp://127.0.0.1:2375`): requests at today's versions (or
 * unversioned) are forwarded after the policy check with the engine's answer
 * unchanged; requests at `/v1.11/` get the v1.11 contract through the core.
 *
 * @example
 * ```ts
 * import { Docker } from "dockwire";
 * import { createGateway } from "dockwire/hono";
 * const app = createGateway({ docker: new Docker(), policy: "read-only" });
 * Deno.serve({ hostname: "127.0.0.1", port: 2375 }, app.fetch);
 * ```
 *
 * @module
 */
import { Hono } from "hono";
import { Gateway, type GatewayOptions } from "./gateway.ts";

export {
  type BodyReader,
  type Decision,
  Gateway,
  type GatewayOptions,
  type GatewayRequest,
  type Verdict,
} from "./gateway.ts";
export { auditLines, type AuditRecord, type AuditSink } from "./audit.ts";
export type { TokenEntry } from "./auth.ts";
export { type AllowRule, type Policy, type PresetName, PRESETS, type ResolvedPolicy, resolvePolicy } from "./policy.ts";
export { type EndpointDef, ENDPOINTS } from "./endpoints.ts";
export { Refusal } from "./refusal.ts";
export { GATEWAY_MAX_VERSION, GATEWAY_MIN_VERSION } from "./forward.ts";
export { hijack, type HijackRequest } from "./hijack.ts";
export { webSocketBridge } from "./websocket.ts";
export type { WebSocketBridge, WebSocketPeer } from "../transport/types.ts";

/** The Hono app, with the gateway core it runs (servers use it for hijacked attach). */
export type GatewayApp = Hono & { gateway: Gateway };

/** The raw request target, when the server gives it (Node: before URL normalisation). */
function rawPathOf(env: unknown): string | undefined {
  const url = (env as { incoming?: { url?: string } } | undefined)?.incoming?.url;
  return typeof url === "string" ? url.split("?")[0] : undefined;
}

/**
 * Build the gateway as a Hono app: mount it (`app.route("/", gw)`), serve
 * `gw.fetch`, or export it from a serverless function.
 */
export function createGateway(options: GatewayOptions): GatewayApp {
  const gateway = new Gateway(options);
  const app = new Hono() as GatewayApp;
  app.gateway = gateway;
  app.all("*", (c) => gateway.handle(c.req.raw, rawPathOf(c.env)));
  return app;
}
