/**
 * The start of a child process's stderr, read to the end so the pipe never
 * fills (for ssh's error messages).
 *
 * @module
 */

/** Read `stream` to its end, keeping the first `cap` bytes as text. */
export async function stderrText(stream: ReadableStream<Uint8Array>, cap = 4096): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  try {
    for await (const chunk of stream) if (text.length < cap) text += decoder.decode(chunk, { stream: true });
  } catch { /* the process went away */ }
  return text.slice(0, cap);
}
