/**
 * The npm entry of `dockwire/hono`: checks that the optional peer `hono` is
 * installed, then re-exports lib/hono/mod.ts. A static import would fail at
 * link time with a bare module-not-found before any code could explain it,
 * hence the dynamic import and the explicit list of names (held equal to
 * lib/hono/mod.ts's exports by test/packaging/entries_test.ts). The types
 * come from lib/hono/mod.ts itself (package.json `types`); JSR and Deno
 * import lib/hono/mod.ts directly.
 *
 * @module
 */
import { CLI_PACKAGE, HONO_PACKAGES, requirePackages } from "./optional.ts";

await requirePackages(
  "dockwire/hono",
  HONO_PACKAGES,
  ` (the ${CLI_PACKAGE} package brings it with the dockwire command)`,
);
const gateway = await import("../hono/mod.ts");

export const {
  auditLines,
  createGateway,
  ENDPOINTS,
  Gateway,
  GATEWAY_MAX_VERSION,
  GATEWAY_MIN_VERSION,
  hijack,
  PRESETS,
  Refusal,
  resolvePolicy,
  webSocketBridge,
} = gateway;
