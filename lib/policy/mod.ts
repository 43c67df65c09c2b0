/**
 * The one safety policy both faces use: the gateway (lib/hono) and the MCP
 * server (mcp/). Host-config and bind rules, Host/Origin/token checks, the
 * glob dialect, and the refusal they throw.
 *
 * @module
 */
export {
  bearerToken,
  checkHost,
  checkOrigin,
  findSecret,
  hostName,
  isLoopback,
  type OriginRules,
  sameSecret,
} from "./access.ts";
export {
  type BindKind,
  type BindRoots,
  checkBind,
  checkBindMount,
  classifyBindSource,
  normaliseHostPath,
  normaliseRoot,
  VOLUME_NAME,
} from "./binds.ts";
export { globMatch, globToRegExp, matchesAny } from "./glob.ts";
export { checkHostConfig, type HostRules } from "./host_config.ts";
export { Refusal } from "./refusal.ts";
