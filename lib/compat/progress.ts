/**
 * Progress streams as a v1.11 client reads them. Engines from Docker 1.10
 * (API 1.22, content trust) end a push with `{"progressDetail":{},"aux":{"Tag",
 * "Digest","Size"}}`, and the classic builder of later engines sends
 * `{"aux":{"ID":...}}`: message kinds the v1.11 reference does not have (its
 * messages carry `status`, `stream` or `error`). The same data is in the
 * status line before it (`tag: digest: sha256:... size: N`, `Successfully
 * built ...`). The core keeps them (today's callers read the digest there);
 * the gateway's v1.11 face drops them.
 *
 * @module
 */

/** True for a line that is a JSON object carrying `aux` and none of the v1.11 keys. */
function auxOnly(line: string): boolean {
  if (!line.includes('"aux"')) return false;
  try {
    const m = JSON.parse(line) as Record<string, unknown>;
    return typeof m === "object" && m !== null && "aux" in m && !("status" in m) && !("stream" in m) &&
      !("error" in m);
  } catch {
    return false;
  }
}

/**
 * The stream without its `aux`-only messages; every other byte passes as it
 * came (today's engines end each message with a newline; text without one is
 * passed on at the end).
 */
export function withoutAuxMessages(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let rest = "";
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const text = rest + decoder.decode(chunk, { stream: true });
        const end = text.lastIndexOf("\n");
        if (end < 0) {
          rest = text;
          return;
        }
        rest = text.slice(end + 1);
        const kept = text.slice(0, end + 1).split(/(?<=\n)/).filter((l) => !auxOnly(l.trim())).join("");
        if (kept) controller.enqueue(encoder.encode(kept));
      },
      flush(controller) {
        const text = rest + decoder.decode();
        if (text && !auxOnly(text.trim())) controller.enqueue(encoder.encode(text));
      },
    }),
  );
}
