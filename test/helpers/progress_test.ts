import assert from "node:assert/strict";
import { streamOf, test } from "../harness.ts";
import {
  BuildError,
  formatBytes,
  formatProgressLine,
  type ProgressMessage,
  PullError,
  renderProgress,
  type RenderProgressOptions,
  StreamProtocolError,
} from "../../mod.ts";
import { BUILD, BUILD_ERROR, PULL, PULL_ERROR, PUSH } from "./progress_fixtures.ts";
import { screen } from "./screen.ts";

async function render(
  input: string | ReadableStream<Uint8Array> | AsyncIterable<ProgressMessage>,
  options: Omit<RenderProgressOptions, "write"> = {},
) {
  let text = "";
  const writes: string[] = [];
  const result = await renderProgress(typeof input === "string" ? streamOf(input) : input, {
    ...options,
    write: (s) => {
      writes.push(s);
      text += s;
    },
  });
  return { result, text, writes };
}

/** The bytes of a string, one byte per chunk. */
function byteByByte(s: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(s);
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i < bytes.length) c.enqueue(bytes.subarray(i, ++i));
      else c.close();
    },
  });
}

const PULL_PLAIN = [
  "v1: Pulling from hr-fixture-big-d26",
  "278ee9e9bfdb: Already exists",
  "25c86e570274: Pulling fs layer",
  "25c86e570274: Downloading",
  "25c86e570274: Verifying Checksum",
  "25c86e570274: Download complete",
  "25c86e570274: Extracting",
  "25c86e570274: Pull complete",
  "Digest: sha256:b369eef71ed7bb0b446d4750867758c1eb31a15189dc71ef144cd743879092ed",
  "Status: Downloaded newer image for 127.0.0.1:5000/hr-fixture-big-d26:v1",
  "",
].join("\n");

test("progress: plain mode appends one line per status change (recorded pull)", async () => {
  const { result, text } = await render(PULL);
  assert.equal(text, PULL_PLAIN);
  assert.ok(!text.includes("\x1b"), "no escapes in plain mode");
  assert.equal(result.error, undefined);
  assert.equal(result.messages, 11);
  assert.equal(result.status, "Status: Downloaded newer image for 127.0.0.1:5000/hr-fixture-big-d26:v1");
  // split anywhere, byte by byte: the same text
  assert.equal((await render(byteByByte(PULL))).text, PULL_PLAIN);
});

test("progress: TTY mode rewrites each layer's line in place (recorded pull)", async () => {
  const { result, text, writes } = await render(PULL, { tty: true, columns: 70 });
  assert.equal(result.error, undefined);
  assert.deepEqual(screen(text), [
    "v1: Pulling from hr-fixture-big-d26",
    "278ee9e9bfdb: Already exists",
    "25c86e570274: Pull complete",
    "Digest: sha256:b369eef71ed7bb0b446d4750867758c1eb31a15189dc71ef144cd743879092ed",
    "Status: Downloaded newer image for 127.0.0.1:5000/hr-fixture-big-d26:v1",
    "",
  ]);
  // the in-place updates drew a bar with bytes, cut to the width
  const drawn = writes.filter((w) => w.startsWith("\x1b[1A")).map((w) => screen("\x1b[1B" + w)[0]);
  assert.ok(drawn.includes("25c86e570274: Downloading [>                        ] 69.21kB/6.002MB"), drawn.join("\n"));
  for (const line of drawn) assert.ok(line.length < 70, line);
  assert.ok(drawn.includes("25c86e570274: Extracting [==========================] 6.002MB/6.002MB"), drawn.join("\n"));
});

test("progress: TTY mode keeps interleaved layers on their own lines", async () => {
  async function* messages(): AsyncGenerator<ProgressMessage> {
    yield { status: "Pulling from x", id: "latest" };
    for (const id of ["aaa", "bbb", "ccc"]) yield { status: "Pulling fs layer", id, progressDetail: {} };
    for (let i = 1; i <= 4; i++) {
      for (const [id, total] of [["ccc", 4000], ["aaa", 1000], ["bbb", 2000]] as const) {
        yield { status: "Downloading", id, progressDetail: { current: (total / 4) * i, total } };
      }
    }
    yield { status: "Download complete", id: "bbb", progressDetail: {} };
  }
  const { text } = await render(messages(), { tty: true, columns: 60 });
  assert.deepEqual(screen(text), [
    "latest: Pulling from x",
    "aaa: Downloading [================================] 1kB/1kB",
    "bbb: Download complete",
    "ccc: Downloading [================================] 4kB/4kB",
    "",
  ]);
});

test("progress: build text passes through; the image id is found (recorded build)", async () => {
  const expected = [...BUILD.matchAll(/"stream":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`)).join("");
  for (const tty of [false, true]) {
    const { result, text } = await render(BUILD, { tty, kind: "build" });
    assert.equal(text, expected);
    assert.equal(result.imageId, "db74e245b51e");
    assert.equal(result.error, undefined);
  }
});

test("progress: a mid-stream error is shown once, at the end, in both modes (recorded pull, build)", async () => {
  for (const tty of [false, true]) {
    const pull = await render(PULL_ERROR, { tty });
    assert.ok(pull.result.error instanceof PullError, String(pull.result.error));
    assert.equal(pull.result.messages, 7);
    const lines = screen(pull.text);
    assert.equal(lines.filter((l) => l.startsWith("error:")).length, 1);
    assert.equal(lines.at(-2), "error: Cannot pull the image: failed to register layer: unexpected EOF");
    assert.equal(lines.at(-1), "");
    if (!tty) assert.equal(pull.text, PULL_PLAIN.split("\n").slice(0, 7).join("\n") + "\n" + lines.at(-2) + "\n");
    else assert.equal(lines[2], "25c86e570274: Extracting [>                                   ] 65.54kB/6.002MB");

    const build = await render(BUILD_ERROR, { tty, kind: "build" });
    assert.ok(build.result.error instanceof BuildError);
    assert.equal((build.result.error as BuildError).code, 7);
    assert.deepEqual(screen(build.text).slice(-3), [
      "about to fail",
      "error: Cannot build the image: The command '/bin/sh -c echo about to fail && exit 7' returned a non-zero code: 7",
      "",
    ]);
  }
});

test("progress: push digest; aux-only messages print nothing (recorded push)", async () => {
  const { result, text } = await render(PUSH, { kind: "push" });
  assert.equal(result.digest, "sha256:27c4facc1d2c80d9756ad7f0d34d08cdc6d3df032cde465c05a5adeebd59faa0");
  assert.equal(
    text,
    "The push refers to repository [127.0.0.1:5000/hr-fixture-d20]\ne323dbb2a9b6: Preparing\ne323dbb2a9b6: Pushing\n" +
      "e323dbb2a9b6: Pushed\nv1: digest: sha256:27c4facc1d2c80d9756ad7f0d34d08cdc6d3df032cde465c05a5adeebd59faa0 size: 527\n",
  );
});

test("progress: a truncated stream and an abort end with the error, shown", async () => {
  const cut = await render(PULL.slice(0, 150));
  assert.ok(cut.result.error instanceof StreamProtocolError, String(cut.result.error));
  assert.match(cut.text, /\nerror: .+\n$/);

  const ac = new AbortController();
  const reason = new Error("stop now");
  let cancelled: unknown;
  const endless = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode('{"status":"Pulling fs layer","id":"aaa","progressDetail":{}}'));
    },
    cancel(r) {
      cancelled = r;
    },
  });
  setTimeout(() => ac.abort(reason), 50);
  const aborted = await render(endless, { signal: ac.signal });
  assert.equal(aborted.result.error, reason);
  assert.equal(cancelled, reason);
  assert.equal(aborted.text, "aaa: Pulling fs layer\nerror: stop now\n");
});

test("progress: bytes and lines formatted like the docker CLI", () => {
  assert.equal(formatBytes(0), "0B");
  assert.equal(formatBytes(999), "999B");
  assert.equal(formatBytes(65536), "65.54kB");
  assert.equal(formatBytes(6002025), "6.002MB");
  assert.equal(formatBytes(2_000_000_000), "2GB");
  assert.equal(formatProgressLine({ id: "x", status: "Waiting" }), "x: Waiting");
  assert.equal(formatProgressLine({ status: "Sending", progressDetail: { current: 1500 } }), "Sending 1.5kB");
  assert.equal(
    formatProgressLine({ id: "x", status: "Downloading", progressDetail: { current: 50, total: 100 } }, 40),
    "x: Downloading [======>      ] 50B/100B", // 39 characters: fits in 40
  );
});
