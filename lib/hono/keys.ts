/**
 * JSON key checks that `JSON.parse` cannot make: it keeps the last of two
 * duplicate keys silently, while the engine's Go decoder also matches keys
 * case-insensitively (with Unicode simple folding: `ſ` U+017F is `s`, `K`
 * U+212A is `k`). A body with duplicates, or keys that fold together, means
 * two readers could see two different requests: it is refused.
 *
 * @module
 */

/** Fold a key the way a case-insensitive matcher might: upper then lower (ſ → S → s, K → k). */
export function foldKey(key: string): string {
  return key.toUpperCase().toLowerCase();
}

/** What the scanner found wrong. */
export interface KeyProblem {
  /** `duplicate` (same key twice) or `fold-duplicate` (two keys that fold together). */
  kind: "duplicate" | "fold-duplicate" | "depth";
  key: string;
  /** Dotted path of the object holding it. */
  at: string;
}

/**
 * Scan JSON text (already known to parse) for duplicate keys within one
 * object, exact or after folding, and for nesting deeper than `maxDepth`.
 * Returns the first problem, or undefined.
 */
export function scanKeys(text: string, maxDepth = 32): KeyProblem | undefined {
  const stack: ({ keys: Set<string>; folded: Set<string>; path: string } | null)[] = [];
  let lastKey = "";
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === '"') {
      const [value, end] = readString(text, i);
      i = end;
      let j = i;
      while (j < n && (text[j] === " " || text[j] === "\t" || text[j] === "\n" || text[j] === "\r")) j++;
      const top = stack[stack.length - 1];
      if (text[j] === ":" && top) {
        if (top.keys.has(value)) return { kind: "duplicate", key: value, at: top.path };
        const f = foldKey(value);
        if (top.folded.has(f)) return { kind: "fold-duplicate", key: value, at: top.path };
        top.keys.add(value);
        top.folded.add(f);
        lastKey = value;
      }
      continue;
    }
    if (ch === "{" || ch === "[") {
      if (stack.length >= maxDepth) return { kind: "depth", key: lastKey, at: "" };
      const parent = stack[stack.length - 1];
      const base = parent ? parent.path : "";
      const path = parent ? (base ? `${base}.${lastKey}` : lastKey) : "";
      stack.push(ch === "{" ? { keys: new Set(), folded: new Set(), path } : null);
    } else if (ch === "}" || ch === "]") {
      stack.pop();
    }
    i++;
  }
  return undefined;
}

/** Read the JSON string starting at `text[start] === '"'`; returns its value and the index after it. */
function readString(text: string, start: number): [string, number] {
  let i = start + 1;
  let out = "";
  let from = i;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      out += text.slice(from, i);
      return [out, i + 1];
    }
    if (c === 0x5c) {
      out += text.slice(from, i);
      const e = text[i + 1];
      if (e === "u") {
        out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        out += ({ b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" } as Record<string, string>)[e] ?? e;
        i += 2;
      }
      from = i;
      continue;
    }
    i++;
  }
  return [out + text.slice(from), i];
}
