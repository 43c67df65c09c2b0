import { atLeast, compareVersions } from "./version.ts";

/**
 * `GET /containers/(id)/attach/ws`: the version the websocket attach is sent at.
 *
 * Engines below API 1.42 send the container's output as websocket *text*
 * frames, whatever the bytes are; a standard WebSocket client (Node's, Deno's,
 * Bun's) fails the connection at the first frame that is not valid UTF-8. From
 * 1.42 the engine sends *binary* frames, so every byte survives. The endpoint
 * is otherwise the same at every version (output raw, never multiplexed;
 * stdin read from any frame), so when the version is negotiated (not pinned)
 * and the engine accepts 1.42 or newer, dockwire sends this one request at
 * 1.42 (or the negotiated version, when higher). Below that (dockerd 20.10
 * accepts up to 1.41) it stays at the negotiated version: text output works,
 * binary output fails the connection with a typed error saying why.
 */
export function webSocketAttachVersion(info: { version: string; max?: string; pinned: boolean }): string {
  if (info.pinned || atLeast(info.version, "1.42")) return info.version;
  if (info.max && compareVersions(info.max, "1.42") >= 0) return "1.42";
  return info.version;
}

/** Whether output at `version` arrives in binary frames (else text frames, binary-unsafe). */
export function webSocketBinarySafe(version: string): boolean {
  return atLeast(version, "1.42");
}
