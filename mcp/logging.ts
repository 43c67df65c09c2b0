/**
 * MCP logging (`notifications/message`): the engine operations a server runs,
 * at the level the client chose with logging/setLevel. Cheap by design: one
 * `debug` line per tool call (tool, duration, whether it failed) and one
 * `info` line per change a write or destructive tool made (tool and the
 * target the model named). Never container output, arguments or secrets.
 * A client that never sets a level gets nothing (the spec leaves that to the
 * server; silence costs no one anything).
 *
 * @module
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { type LoggingLevel, LoggingLevelSchema, SetLevelRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { ToolDef } from "./tool.ts";

const SEVERITY: readonly LoggingLevel[] = LoggingLevelSchema.options;

/** The logger name of every message. */
export const LOGGER = "dockwire";

/** A server's log: sends a message when the client's level lets it through. */
export interface CallLog {
  /** Log one finished tool call. */
  call(def: ToolDef, args: unknown, ms: number, isError: boolean): void;
}

/** The target a call named (container, image, network, volume), for the info line. */
function targetOf(args: unknown): string | undefined {
  if (!args || typeof args !== "object") return undefined;
  const a = args as Record<string, unknown>;
  for (const key of ["container", "image", "network", "volume", "name", "kind"]) {
    if (typeof a[key] === "string") return a[key] as string;
  }
  return undefined;
}

/**
 * Take over logging/setLevel on `server` (one server per session, so one
 * level) and return the log its tool calls write to.
 */
export function installCallLog(server: Server): CallLog {
  let threshold: number | undefined;
  server.setRequestHandler(SetLevelRequestSchema, (request) => {
    threshold = SEVERITY.indexOf(request.params.level);
    return {};
  });
  const send = (level: LoggingLevel, data: Record<string, unknown>) => {
    if (threshold === undefined || SEVERITY.indexOf(level) < threshold) return;
    // A client gone (closed transport) must not fail the call that logged.
    server.sendLoggingMessage({ level, logger: LOGGER, data }).catch(() => {});
  };
  return {
    call(def, args, ms, isError) {
      send("debug", { tool: def.name, ms: Math.round(ms), ...(isError ? { isError } : {}) });
      if (isError || def.level === "read") return;
      const target = targetOf(args);
      const message = target === undefined ? def.title : `${def.title} ${JSON.stringify(target)}`;
      send("info", { tool: def.name, ...(target !== undefined ? { target } : {}), message });
    },
  };
}
