/**
 * A tiny terminal for the progress tests: applies text with `\n`, `\r`,
 * cursor up/down (`ESC[nA`, `ESC[nB`), clear line (`ESC[2K`) and colours
 * (ignored) to a grid of lines, and refuses any other escape.
 *
 * @module
 */

/** The terminal's lines after writing `text`. */
export function screen(text: string): string[] {
  const lines: string[] = [""];
  let row = 0;
  let col = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\x1b") {
      // deno-lint-ignore no-control-regex
      const m = /^\x1b\[(\d*)([A-Za-z])/.exec(text.slice(i));
      if (!m) throw new Error(`bad escape at ${i}: ${JSON.stringify(text.slice(i, i + 8))}`);
      const n = m[1] === "" ? 1 : Number(m[1]);
      if (m[2] === "A") row = Math.max(0, row - n);
      else if (m[2] === "B") row += n;
      else if (m[2] === "K" && n === 2) lines[row] = "";
      else if (m[2] !== "m") throw new Error(`unexpected escape ${JSON.stringify(m[0])}`);
      while (lines.length <= row) lines.push("");
      i += m[0].length - 1;
    } else if (ch === "\n") {
      row++;
      col = 0;
      while (lines.length <= row) lines.push("");
    } else if (ch === "\r") {
      col = 0;
    } else {
      const l = lines[row].padEnd(col);
      lines[row] = l.slice(0, col) + ch + l.slice(col + 1);
      col++;
    }
  }
  return lines;
}
