/**
 * Resource URIs and limits that tools use (copy_from_container links to
 * `docker://containers/{id}/files/{+path}`), without the MCP SDK: the tool
 * catalog (mcp/tools_catalog.ts) runs in process, where the SDK is not
 * installed. The handlers that serve these resources are in
 * mcp/resource_handlers.ts.
 *
 * @module
 */

/** Files up to this size can be read as a `docker://containers/{id}/files/{path}` resource. */
export const FILE_RESOURCE_MAX = 8 * 1024 * 1024;

/** Lines of the logs resource. */
export const LOGS_RESOURCE_LINES = 200;
/** Bytes of the logs resource. */
export const LOGS_RESOURCE_BYTES = 65536;

/** The URI of a container file as a resource (`path` absolute; `host` when not the default engine). */
export function fileResourceUri(container: string, path: string, host?: string): string {
  const segs = path.split("/").filter(Boolean).map(encodeURIComponent).join("/");
  return `docker://containers/${encodeURIComponent(container.replace(/^\//, ""))}/files/${segs}${
    host ? `?host=${encodeURIComponent(host)}` : ""
  }`;
}
