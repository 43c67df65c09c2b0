import assert from "node:assert/strict";
import { test } from "../harness.ts";
import {
  BuildError,
  decodeJsonMessages,
  DockerError,
  followProgress,
  JsonMessageDecoder,
  JsonMessageStream,
  type ProgressMessage,
  PullError,
  PushError,
  StreamProtocolError,
} from "../../mod.ts";
import { chunked, cut } from "./util.ts";

const enc = new TextEncoder();

async function all(chunks: Uint8Array[], kind?: "build" | "pull" | "push") {
  const messages: ProgressMessage[] = [];
  let error: unknown;
  try {
    for await (const m of decodeJsonMessages(chunked(chunks), { kind })) messages.push(m);
  } catch (err) {
    error = err;
  }
  return { messages, error };
}

const tricky = [
  { status: "Pulling fs layer", id: "abc" },
  { stream: 'Step 1/2 : RUN echo "}{" \\\\ done\n' },
  { status: "Downloading", progressDetail: { current: 10, total: 100 }, progress: "[=>   ] ünïcödé ✓ 😀" },
  { aux: { ID: "sha256:0123" } },
];

test("json: newline, CRLF and nothing as separators, split at every byte boundary", async () => {
  for (const sep of ["\n", "\r\n", "", " \n\n"]) {
    const bytes = enc.encode(tricky.map((o) => JSON.stringify(o)).join(sep) + sep);
    for (let i = 1; i < bytes.length; i++) {
      const { messages, error } = await all(cut(bytes, [i, i + 5]));
      assert.equal(error, undefined, `sep ${JSON.stringify(sep)} cut ${i}: ${error}`);
      assert.deepEqual(messages, tricky, `sep ${JSON.stringify(sep)} cut ${i}`);
    }
  }
});

test("json: a multi-byte character split across chunks survives", async () => {
  const bytes = enc.encode(JSON.stringify({ status: "😀" }) + "\n");
  const at = bytes.indexOf(0xf0) + 2;
  const { messages } = await all(cut(bytes, [at]));
  assert.equal(messages[0].status, "😀");
});

test("json: concatenated objects without any newline are emitted as each completes", () => {
  const d = new JsonMessageDecoder();
  assert.deepEqual(d.decode(enc.encode('{"a":1}{"b":')), [{ a: 1 }]);
  assert.deepEqual(d.decode(enc.encode('"}"}  {"c"')), [{ b: "}" }]);
  assert.deepEqual(d.decode(enc.encode(":3}")), [{ c: 3 }]);
  assert.deepEqual(d.end(), []);
  assert.equal(d.error, undefined);
});

test("json: garbage is a StreamProtocolError, never a hang", async () => {
  for (
    const bad of ["not json\n", '{"a":1}\nxyz', "[1,2]\n", "42\n", '{"a":}\n', '{"a":1}}\n', '{"open": "str', "{{{{"]
  ) {
    const { error } = await all([enc.encode(bad)]);
    assert.ok(error instanceof StreamProtocolError, `${JSON.stringify(bad)}: ${error}`);
  }
});

test("json: an object larger than maxObjectSize is refused", () => {
  const d = new JsonMessageDecoder({ maxObjectSize: 1000 });
  d.decode(enc.encode('{"stream":"' + "x".repeat(600)));
  assert.equal(d.error, undefined);
  d.decode(enc.encode("x".repeat(600)));
  const err: unknown = d.error;
  assert.ok(err instanceof StreamProtocolError);
  assert.match(err.message, /larger than 1000/);
});

test("json: {error} ends the stream with the kind's error class, code, message and last progress", async () => {
  const lines = [
    { status: "Pulling from library/nope" },
    { status: "Waiting", id: "l1" },
    { errorDetail: { code: 1, message: "manifest unknown" }, error: "manifest unknown" },
    { status: "never seen" },
  ].map((o) => JSON.stringify(o)).join("\r\n");
  const cases = [["pull", PullError], ["push", PushError], ["build", BuildError]] as const;
  for (const [kind, Cls] of cases) {
    const { messages, error } = await all([enc.encode(lines)], kind);
    assert.equal(messages.length, 2);
    assert.ok(error instanceof Cls, String(error));
    assert.ok(error instanceof DockerError);
    assert.equal(error.code, 1);
    assert.equal(error.engineMessage, "manifest unknown");
    assert.equal(error.kind, kind);
    assert.deepEqual(error.lastProgress, { status: "Waiting", id: "l1" });
    assert.match(error.message, /manifest unknown/);
  }
});

test("JsonMessageStream: pipeThrough delivers every message before the error", async () => {
  const body = enc.encode(
    '{"stream":"Step 1/1"}\n{"stream":"out"}\n{"error":"build failed","errorDetail":{"message":"build failed"}}\n',
  );
  const got: string[] = [];
  let error: unknown;
  try {
    for await (const m of chunked(cut(body, [5, 30])).pipeThrough(new JsonMessageStream({ kind: "build" }))) {
      got.push(String(m.stream));
    }
  } catch (err) {
    error = err;
  }
  assert.deepEqual(got, ["Step 1/1", "out"]);
  assert.ok(error instanceof BuildError, String(error));
  // A clean stream closes the readable side.
  const ok: ProgressMessage[] = [];
  for await (const m of chunked([enc.encode('{"a":1}{"b":2}')]).pipeThrough(new JsonMessageStream())) ok.push(m);
  assert.deepEqual(ok, [{ a: 1 }, { b: 2 }]);
});

test("JsonMessageStream: cancelling the readable side cancels the source", async () => {
  let cancelled = false;
  let n = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(c) {
      c.enqueue(enc.encode(`{"n":${n++}}\n`));
    },
    cancel() {
      cancelled = true;
    },
  });
  for await (const m of source.pipeThrough(new JsonMessageStream())) {
    if (m.n === 3) break;
  }
  await new Promise((r) => setTimeout(r, 10));
  assert.ok(cancelled);
});

test("followProgress: pull, push and build summaries without keeping messages", async () => {
  const pull = [
    '{"status":"Pulling from library/busybox","id":"latest"}',
    '{"status":"Status: Downloaded newer image for busybox:latest"}',
  ];
  const seen: string[] = [];
  const p = await followProgress(chunked([enc.encode(pull.join("\n"))]), {
    kind: "pull",
    onProgress: (m) => seen.push(String(m.status)),
  });
  assert.equal(p.status, "Status: Downloaded newer image for busybox:latest");
  assert.equal(p.messages, 2);
  assert.equal(seen.length, 2);
  const digest = "sha256:" + "ab".repeat(32);
  const push = [
    `{"status":"latest: digest: ${digest} size: 527"}`,
    `{"progressDetail":{},"aux":{"Tag":"latest","Digest":"${digest}","Size":527}}`,
  ];
  const s = await followProgress(chunked([enc.encode(push.join("\r\n"))]), { kind: "push" });
  assert.equal(s.digest, digest);
  assert.equal(s.lastStatus, `latest: digest: ${digest} size: 527`);
  const build = ['{"stream":"Step 1/1 : FROM busybox\\n"}', '{"stream":"Successfully built 0123abcd4567\\n"}'];
  const b = await followProgress(chunked([enc.encode(build.join(""))]), { kind: "build" });
  assert.equal(b.imageId, "0123abcd4567");
  const aux = await followProgress(chunked([enc.encode('{"aux":{"ID":"sha256:feed"}}')]), { kind: "build" });
  assert.equal(aux.imageId, "sha256:feed");
  await assert.rejects(
    followProgress(
      chunked([enc.encode('{"status":"x"}{"error":"denied","errorDetail":{"code":403,"message":"denied"}}')]),
      { kind: "push" },
    ),
    (e: unknown) => e instanceof PushError && e.code === 403 && e.lastProgress?.status === "x",
  );
});

test('json: an errorDetail without a message ({"errorDetail":{}}, Docker 1.2 on a v2 registry) is a failure, not success', async () => {
  const lines = [
    '{"status":"The push refers to a repository [127.0.0.1:5000/x]"}',
    '{"errorDetail":{}}',
    '{"status":"after"}',
  ];
  for (const text of [lines.join("\n"), lines.join("")]) {
    const { messages, error } = await all([enc.encode(text)], "push");
    assert.equal(messages.length, 1);
    assert.ok(error instanceof PushError, String(error));
    assert.match(error.message, /without a message .*errorDetail/);
  }
  const followed = await followProgress(chunked([enc.encode(lines.join("\n"))]), { kind: "push" }).catch((e) => e);
  assert.ok(followed instanceof PushError, String(followed));
  // An empty error string with no errorDetail stays a plain message.
  const { error } = await all([enc.encode('{"status":"ok","error":""}')], "push");
  assert.equal(error, undefined);
});
