/**
 * A file on a loopback HTTP server, for the engine to download (insert).
 *
 * @module
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** Serve `body` at /file.txt on 127.0.0.1 (random port) until `close`. */
export async function serveFile(
  body: string,
): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    if (req.url !== "/file.txt") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      "Content-Type": "text/plain",
      "Content-Length": String(new TextEncoder().encode(body).length),
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/file.txt`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
