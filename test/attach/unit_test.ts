import assert from "node:assert/strict";
import { StreamProtocolError } from "../../mod.ts";
import { framingFromContentType } from "../../lib/streams/attach.ts";
import { encodeRequestHead, readResponseHead, readSmallBody } from "../../lib/streams/http_upgrade.ts";
import { parseLogTimestamp } from "../../lib/containers/logs_decoded.ts";
import { streamOf, test } from "../harness.ts";

const enc = new TextEncoder();
/** A stream that yields the text one byte per chunk (head split everywhere). */
function bytewise(text: string | Uint8Array): ReadableStream<Uint8Array> {
  const b = typeof text === "string" ? enc.encode(text) : text;
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i < b.length) c.enqueue(b.slice(i, ++i));
      else c.close();
    },
  });
}

test("readResponseHead: 101 UPGRADED split byte by byte, bytes after the head kept", async () => {
  const head = "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\n" +
    "Upgrade: tcp\r\n\r\n";
  const r = bytewise(new Uint8Array([...enc.encode(head), 1, 0, 0, 0, 0, 0, 0, 1, 65])).getReader();
  const { head: h, rest } = await readResponseHead(r);
  assert.equal(h.status, 101);
  assert.equal(h.statusText, "UPGRADED");
  assert.equal(h.headers.get("content-type"), "application/vnd.docker.raw-stream");
  assert.deepEqual([...rest], []);
  // The rest of the stream continues after the head.
  const next = await r.read();
  assert.deepEqual([...next.value!], [1]);
});

test("readResponseHead: one chunk with body, bare \\n line ends, 200 OK", async () => {
  const r = streamOf("HTTP/1.1 200 OK\nContent-Type: text/plain\n\nhello").getReader();
  const { head, rest } = await readResponseHead(r);
  assert.equal(head.status, 200);
  assert.equal(new TextDecoder().decode(rest), "hello");
});

test("readResponseHead: early end, garbage and oversize heads are StreamProtocolError", async () => {
  await assert.rejects(readResponseHead(streamOf().getReader()), StreamProtocolError);
  await assert.rejects(readResponseHead(streamOf("HTTP/1.1 101 UPG").getReader()), /inside the response head/);
  await assert.rejects(readResponseHead(streamOf("SSH-2.0-x\r\n\r\n").getReader()), /Not an HTTP response/);
  await assert.rejects(readResponseHead(streamOf("HTTP/1.1 200 OK\r\nbad\r\n\r\n").getReader()), /Invalid header/);
  await assert.rejects(
    readResponseHead(streamOf("HTTP/1.1 200 OK\r\nX: " + "a".repeat(70_000)).getReader()),
    /exceeds/,
  );
});

test("readSmallBody: Content-Length, chunked and close-delimited error bodies", async () => {
  const read = async (text: string) => {
    const r = bytewise(text).getReader();
    const { head, rest } = await readResponseHead(r);
    return readSmallBody(head, rest, r);
  };
  assert.equal(await read("HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nhello-more"), "hello");
  assert.equal(
    await read(
      'HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"mes\r\nb\r\nsage":"no"}\r\n0\r\n\r\n',
    ),
    '{"message":"no"}',
  );
  assert.equal(await read("HTTP/1.1 500 Oops\r\n\r\nuntil close"), "until close");
});

test("encodeRequestHead refuses header injection", () => {
  const h = new TextDecoder().decode(
    encodeRequestHead("POST", "/v1.12/containers/x/attach?stream=1", { Host: "docker" }),
  );
  assert.equal(h, "POST /v1.12/containers/x/attach?stream=1 HTTP/1.1\r\nHost: docker\r\n\r\n");
  assert.throws(() => encodeRequestHead("POST", "/", { "X-A": "b\r\nEvil: 1" }), StreamProtocolError);
});

test("framingFromContentType trusts raw-stream only from API 1.42", () => {
  assert.equal(framingFromContentType("application/vnd.docker.multiplexed-stream", false), "multiplexed");
  assert.equal(framingFromContentType("application/vnd.docker.raw-stream", false), undefined);
  assert.equal(framingFromContentType("application/vnd.docker.raw-stream; x=1", true), "raw");
  assert.equal(framingFromContentType(null, true), undefined);
});

test("parseLogTimestamp: RFC 3339 with nanoseconds or offsets; other lines untouched", () => {
  const a = parseLogTimestamp("2024-05-06T07:08:09.123456789Z hello world");
  assert.equal(a.timestamp, "2024-05-06T07:08:09.123456789Z");
  assert.equal(a.time?.toISOString(), "2024-05-06T07:08:09.123Z");
  assert.equal(a.text, "hello world");
  const b = parseLogTimestamp("2024-05-06T07:08:09+02:00 x");
  assert.equal(b.time?.toISOString(), "2024-05-06T05:08:09.000Z");
  assert.deepEqual(parseLogTimestamp("no stamp"), { text: "no stamp" });
  assert.equal(parseLogTimestamp("2024-05-06T07:08:09.5Z ").text, "");
});
