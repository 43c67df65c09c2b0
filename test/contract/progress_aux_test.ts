/**
 * The gateway's v1.11 face drops the `aux` messages v1.11 did not have
 * (lib/compat/progress.ts); every other byte passes as it came, however the
 * stream is cut into chunks.
 */
import assert from "node:assert/strict";
import { streamOf, test } from "../harness.ts";
import { withoutAuxMessages } from "../../lib/compat/progress.ts";

const PUSH = [
  '{"status":"The push refers to repository [127.0.0.1:5000/app]"}\r\n',
  '{"status":"Pushing","progressDetail":{"current":512,"total":739},"progress":"[===>  ] 512B/739B","id":"a1"}\r\n',
  '{"status":"v1: digest: sha256:ab size: 739"}\r\n',
  '{"progressDetail":{},"aux":{"Tag":"v1","Digest":"sha256:ab","Size":739}}\r\n',
  '{"stream":"a line that mentions \\"aux\\" is kept"}\n',
  '{"error":"denied","errorDetail":{"message":"denied"},"aux":{"x":1}}\n',
];
const KEPT = PUSH.filter((_, i) => i !== 3).join("");

test("the v1.11 progress stream drops aux-only messages and keeps every other byte, cut anywhere", async () => {
  const bytes = new TextEncoder().encode(PUSH.join("") + '{"aux":{"ID":"sha256:cd"}}');
  for (let cut = 0; cut <= bytes.length; cut += 7) {
    const s = streamOf(bytes.subarray(0, cut), bytes.subarray(cut));
    assert.equal(await new Response(withoutAuxMessages(s)).text(), KEPT, `cut at ${cut}`);
  }
  // One byte at a time, and text without a final newline kept.
  const parts = [...new TextEncoder().encode(PUSH[0] + '{"status":"no newline"}')].map((b) => new Uint8Array([b]));
  assert.equal(
    await new Response(withoutAuxMessages(streamOf(...parts))).text(),
    PUSH[0] + '{"status":"no newline"}',
  );
});
