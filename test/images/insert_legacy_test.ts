/**
 * `images.insert` on an engine whose API range reaches 1.11 but which has no insert
 * route any more (Docker 1.2 answers Go's "404 page not found" at every version): the
 * build-based emulation, chosen by the engine's answer, not only by the API version.
 * The engine is scripted (no engine this old runs here); the build it receives is
 * checked byte for byte.
 */
import assert from "node:assert/strict";
import type http from "node:http";
import { test } from "../harness.ts";
import { Docker, NotFoundError, readFileFromTar } from "../../mod.ts";
import { httpServer } from "../transport/support.ts";

function docker12(insertAnswer: string) {
  const seen: string[] = [];
  let dockerfile = "";
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Uint8Array[] = [];
    req.on("data", (c: Uint8Array) => chunks.push(c));
    req.on("end", async () => {
      const path = (req.url ?? "").split("?")[0];
      seen.push(`${req.method} ${path}`);
      if (path === "/_ping") return void res.writeHead(200, { "content-type": "text/plain" }).end("OK");
      if (path.endsWith("/version")) {
        return void res.writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ Version: "1.2.0", ApiVersion: "1.14", GoVersion: "go1.3.1" }));
      }
      if (path.endsWith("/insert")) return void res.writeHead(404, { "content-type": "text/plain" }).end(insertAnswer);
      if (path.endsWith("/build")) {
        const tar = new Blob(chunks as BlobPart[]).stream();
        dockerfile = new TextDecoder().decode(await readFileFromTar(tar, "Dockerfile"));
        return void res.writeHead(200, { "content-type": "application/json" })
          .end('{"stream":"Step 0 : FROM busybox\\n"}\r\n{"stream":"Successfully built 0123456789ab\\n"}\r\n');
      }
      res.writeHead(404, { "content-type": "text/plain" }).end("404 page not found\n");
    });
  };
  return { handler, seen, dockerfile: () => dockerfile };
}

test("images.insert: an engine without the insert route (404 page not found) gets the build instead", async () => {
  const engine = docker12("404 page not found\n");
  const srv = await httpServer(engine.handler);
  const docker = new Docker({ host: srv.host });
  try {
    const out = await new Response(
      await docker.images.insert("busybox", { url: "http://files.example/a.txt", path: "/a.txt" }),
    ).text();
    assert.match(out, /Successfully built 0123456789ab/);
    assert.deepEqual(engine.seen.filter((s) => s.startsWith("POST")), [
      "POST /v1.11/images/busybox/insert",
      "POST /v1.11/build",
    ]);
    assert.match(engine.dockerfile(), /^FROM busybox\n/);
    assert.match(engine.dockerfile(), /ADD \["http:\/\/files\.example\/a\.txt",\s*"\/a\.txt"\]/);
  } finally {
    docker.close();
    await srv.close();
  }
});

test("images.insert: a 404 about the image stays a NotFoundError, and nothing is built", async () => {
  const engine = docker12("No such image: nope\n");
  const srv = await httpServer(engine.handler);
  const docker = new Docker({ host: srv.host });
  try {
    await assert.rejects(
      docker.images.insert("nope", { url: "http://files.example/a.txt", path: "/a.txt" }),
      (e) => e instanceof NotFoundError && /No such image/.test(e.message),
    );
    assert.ok(!engine.seen.some((s) => s.endsWith("/build")), engine.seen.join(", "));
  } finally {
    docker.close();
    await srv.close();
  }
});
