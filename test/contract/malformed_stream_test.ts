/**
 * The v1.11 endpoints whose answer streams, or has no body: a stream cut
 * mid-frame (or an HTML page in its place) ends in a typed stream error, one
 * case per streaming family and endpoint; an endpoint whose reference answer
 * has no body does not read it, so no malformation can fail it. Scripted engine.
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { type Docker, followProgress, type ProgressKind, readFileFromTar, StreamProtocolError } from "../../mod.ts";
import { type Answer, MALFORMED, malformed, rejectsTyped, withFakeEngine } from "./fake_engine.ts";

const HTML: Answer = { contentType: "text/html", body: "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>\n" };

// Multiplexed output (logs): a header that promises 100 bytes, then 3 of them.
const CUT_FRAME = new Uint8Array([1, 0, 0, 0, 0, 0, 0, 100, 104, 105, 10]);
for (
  const [name, answer] of [["cut mid-frame", { contentType: "application/vnd.docker.raw-stream", body: CUT_FRAME }], [
    "an HTML page",
    HTML,
  ]] as [string, Answer][]
) {
  test(`malformed stream: GET /containers/(id)/logs × ${name} is a StreamProtocolError`, async () => {
    await withFakeEngine(answer, async (d) => {
      const read = async () => {
        for await (const _ of d.containers.logLines("0123abc", { tty: false })) { /* drain */ }
      };
      await rejectsTyped(read(), StreamProtocolError);
    });
  });
}

// JSON progress streams: an object cut in the middle, or an HTML page instead of objects.
const PROGRESS: [endpoint: string, kind: ProgressKind, call: (d: Docker) => Promise<ReadableStream<Uint8Array>>][] = [
  ["POST /images/create (pull)", "pull", (d) => d.images.pull("busybox", { tag: "latest" })],
  ["POST /images/create (import)", "import", (d) => d.images.import(new Uint8Array(1024), { repo: "dockwire-x" })],
  [
    "POST /images/(name)/insert",
    "insert",
    (d) => d.images.insert("busybox", { url: "http://f.example/a", path: "/a" }),
  ],
  ["POST /images/(name)/push", "push", (d) => d.images.push("reg.example/busybox")],
  ["POST /build", "build", (d) => d.build(new Uint8Array(1024), { t: "dockwire-x" })],
  ["POST /images/load", "load", (d) => d.images.load(new Uint8Array(1024))],
];
const CUT_JSON: Answer = {
  contentType: "application/json",
  body: '{"status":"Pulling fs layer","id":"0123abc"}\r\n{"status":"Downlo',
};
for (const [endpoint, kind, call] of PROGRESS) {
  for (const [name, answer] of [["cut mid-object", CUT_JSON], ["an HTML page", HTML]] as [string, Answer][]) {
    test(`malformed stream: ${endpoint} × ${name} is a StreamProtocolError`, async () => {
      await withFakeEngine(answer, async (d) => {
        await rejectsTyped(call(d).then((body) => followProgress(body, { kind })), StreamProtocolError);
      });
    });
  }
}

// Events: the v1.11 translation reads each object; a cut one ends the stream with a typed error.
for (const [name, answer] of [["cut mid-object", CUT_JSON], ["an HTML page", HTML]] as [string, Answer][]) {
  test(`malformed stream: GET /events × ${name} is a StreamProtocolError`, async () => {
    await withFakeEngine(answer, async (d) => {
      await rejectsTyped(d.events().then((body) => new Response(body).text()), StreamProtocolError);
    });
  });
}

// Tar streams: a header cut short, or an HTML page where the tar should be.
const TARS: [string, (d: Docker) => Promise<ReadableStream<Uint8Array>>][] = [
  ["GET /containers/(id)/export", (d) => d.containers.export("0123abc")],
  ["POST /containers/(id)/copy", (d) => d.containers.copy("0123abc", "/etc/hostname")],
  ["GET /images/(name)/get", (d) => d.images.get("busybox")],
];
const CUT_TAR: Answer = { contentType: "application/x-tar", body: "etc/hostname\0\0\0\0" };
for (const [endpoint, call] of TARS) {
  for (const [name, answer] of [["cut mid-header", CUT_TAR], ["an HTML page", HTML]] as [string, Answer][]) {
    test(`malformed stream: ${endpoint} × ${name} is a StreamProtocolError when read`, async () => {
      await withFakeEngine(answer, async (d) => {
        await rejectsTyped(call(d).then((tar) => readFileFromTar(tar, "etc/hostname")), StreamProtocolError);
      });
    });
  }
}

// No body in the reference's answer (204, or 200 with nothing): the answer's body is not read.
const NO_BODY: [string, (d: Docker) => Promise<unknown>][] = [
  ["POST /containers/(id)/start", (d) => d.containers.start("0123abc")],
  ["POST /containers/(id)/stop", (d) => d.containers.stop("0123abc")],
  ["POST /containers/(id)/restart", (d) => d.containers.restart("0123abc")],
  ["POST /containers/(id)/kill", (d) => d.containers.kill("0123abc")],
  ["DELETE /containers/(id)", (d) => d.containers.remove("0123abc")],
  ["POST /images/(name)/tag", (d) => d.images.tag("busybox", { repo: "dockwire-x" })],
];
for (const [endpoint, call] of NO_BODY) {
  test(`malformed answer: ${endpoint} does not read the body, so no malformation fails it`, async () => {
    for (const m of MALFORMED) {
      await withFakeEngine(malformed(m, "object"), async (d) => {
        await call(d);
      });
    }
  });
}

test("malformed answer: GET /_ping answers text; any text is its answer", async () => {
  for (const m of MALFORMED) {
    const answer = malformed(m, "object");
    await withFakeEngine(answer, async (d) => assert.equal(await d.ping(), answer.body));
  }
});
