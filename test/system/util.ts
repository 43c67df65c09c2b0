/**
 * Helpers for the system tests: raw engine calls (so these tests do not
 * depend on the container and image helpers' code) and JSON-lines reading.
 *
 * @module
 */
import { packTar } from "modern-tar";
import type { Docker } from "../../mod.ts";
import { collectText } from "../harness.ts";

/** Read a newline-delimited JSON stream to its end and parse every object. */
export async function jsonLines(stream: ReadableStream<Uint8Array>): Promise<Record<string, unknown>[]> {
  const text = await collectText(stream);
  return text.split(/\r?\n/).filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
}

/** The `stream` texts of a build's progress objects, joined. */
export function streamText(objects: Record<string, unknown>[]): string {
  return objects.map((o) => typeof o.stream === "string" ? o.stream : "").join("");
}

/** A tar build context of the given files, as bytes. */
export async function tarOf(files: Record<string, string>): Promise<Uint8Array> {
  const enc = new TextEncoder();
  return await packTar(
    Object.entries(files).map(([name, text]) => ({
      header: { name, size: enc.encode(text).byteLength, mode: 0o644 },
      body: enc.encode(text),
    })),
  );
}

/** A stream that hands out `bytes` in `parts` chunks, one per pull; counts the pulls and calls `onPull` before each. */
export function chunked(
  bytes: Uint8Array,
  parts: number,
  onPull: () => void = () => {},
): { stream: ReadableStream<Uint8Array>; pulls: () => number } {
  const size = Math.ceil(bytes.byteLength / parts);
  let offset = 0;
  let pulls = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      onPull();
      pulls++;
      if (offset >= bytes.byteLength) return c.close();
      c.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  }, { highWaterMark: 0 });
  return { stream, pulls: () => pulls };
}

/** Create a busybox container with `cmd` (the image's when undefined; raw POST /containers/create); removed by `defer`. */
export async function createContainer(
  docker: Docker,
  cmd: string[] | undefined,
  defer: (fn: () => unknown) => void,
  image = "busybox",
): Promise<string> {
  const { Id } = await docker.client.json<{ Id: string }>({
    method: "POST",
    path: "/containers/create",
    json: { Image: image, Cmd: cmd },
  });
  defer(() => removeContainer(docker, Id));
  return Id;
}

/** Remove a container (force), ignoring "not found". */
export async function removeContainer(docker: Docker, id: string): Promise<void> {
  await docker.client.empty({ method: "DELETE", path: `/containers/${id}`, query: { force: true }, ok: [404] });
}

/** Start a container and wait for it to exit; returns its exit code. */
export async function runToEnd(docker: Docker, id: string): Promise<number> {
  await docker.client.empty({ method: "POST", path: `/containers/${id}/start` });
  const r = await docker.client.json<{ StatusCode: number }>({ method: "POST", path: `/containers/${id}/wait` });
  return r.StatusCode;
}

/** A container's stdout (demultiplexed, small outputs only). */
export async function stdoutOf(docker: Docker, id: string): Promise<string> {
  const res = await docker.client.request({
    method: "GET",
    path: `/containers/${id}/logs`,
    query: { stdout: true, stderr: true },
  });
  const b = new Uint8Array(await res.arrayBuffer());
  const parts: Uint8Array[] = [];
  for (let o = 0; o + 8 <= b.byteLength;) {
    const n = new DataView(b.buffer, b.byteOffset + o + 4, 4).getUint32(0);
    parts.push(b.subarray(o + 8, o + 8 + n));
    o += 8 + n;
  }
  return parts.map((p) => new TextDecoder().decode(p)).join("");
}

/** Remove an image (force), ignoring "not found". */
export async function removeImage(docker: Docker, name: string): Promise<void> {
  await docker.client.empty({ method: "DELETE", path: `/images/${name}`, query: { force: true }, ok: [404] });
}

/** Inspect an image with a raw call (CamelCase keys at the versions these engines speak). */
export async function inspectImageRaw(docker: Docker, name: string): Promise<Record<string, any>> {
  return await docker.client.json<Record<string, any>>({ method: "GET", path: `/images/${name}/json` });
}
