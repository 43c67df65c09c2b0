/**
 * A synchronous tar header walker for the build-context check: it sees each
 * chunk's headers and body bytes before the chunk is passed on, so a check
 * can hold back the chunk that completes a file it must read first. It reads
 * ustar names with prefix, PAX `path`/`linkpath`/`size` records and GNU long
 * names (`L`/`K`), as Go's archive/tar (the engine's reader) does; it does not
 * verify checksums (a header the engine refuses fails the build anyway).
 *
 * The stream readers in lib/streams (modern-tar) are asynchronous: they
 * cannot tell whether a chunk's headers were seen before the chunk is
 * forwarded, which is what a gate needs.
 *
 * @module
 */

/** One entry header. */
export interface TarWalkEntry {
  /** The name, cleaned like the engine does (no leading `/` or `./`, `.`/`..` resolved, no trailing `/`). */
  name: string;
  /** Typeflag: `0` file, `1` hard link, `2` symlink, `5` directory ... */
  type: string;
  /** Body size in bytes. */
  size: number;
  /** Link target, for links. */
  linkname: string;
}

/** What the walker calls. */
export interface TarWalkHandlers {
  /** A header (PAX and GNU long-name records already applied). */
  entry(entry: TarWalkEntry): void;
  /** Body bytes of the current entry (called in order, possibly several times). */
  data(entry: TarWalkEntry, bytes: Uint8Array): void;
}

const dec = new TextDecoder();
const MAX_META = 1 << 20;

/** `path.Clean` without the leading `/`: the name an entry is extracted under. */
export function cleanTarName(name: string): string {
  const out: string[] = [];
  for (const seg of name.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return out.join("/");
}

function cstr(b: Uint8Array): string {
  const z = b.indexOf(0);
  return dec.decode(z < 0 ? b : b.subarray(0, z));
}

function octal(b: Uint8Array): number {
  if (b[0] & 0x80) { // base-256
    let n = 0;
    for (let i = 1; i < b.length; i++) n = n * 256 + b[i];
    return n;
  }
  const s = cstr(b).trim();
  return s === "" ? 0 : parseInt(s, 8);
}

function paxRecords(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/(\d+) ([^=\n]+)=([^\n]*)\n/g)) out[m[2]] = m[3];
  return out;
}

/** Feed tar bytes chunk by chunk; headers and body bytes are reported synchronously. */
export class TarWalker {
  #handlers: TarWalkHandlers;
  #header = new Uint8Array(512);
  #have = 0;
  #entry?: TarWalkEntry;
  #bodyLeft = 0;
  #padLeft = 0;
  #meta?: { kind: string; parts: Uint8Array[]; size: number };
  #next: Record<string, string> = {};
  /** Set once the end-of-archive block was seen; later bytes are ignored (so does the engine). */
  ended = false;

  constructor(handlers: TarWalkHandlers) {
    this.#handlers = handlers;
  }

  /** Walk one chunk. */
  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length && !this.ended) {
      if (this.#bodyLeft > 0) {
        const n = Math.min(this.#bodyLeft, chunk.length - i);
        const part = chunk.subarray(i, i + n);
        if (this.#meta) {
          if (this.#meta.size + n > MAX_META) {
            throw new RangeError(`a tar metadata record is larger than ${MAX_META} bytes`);
          }
          this.#meta.parts.push(part.slice());
          this.#meta.size += n;
        } else if (this.#entry) this.#handlers.data(this.#entry, part);
        this.#bodyLeft -= n;
        i += n;
        if (this.#bodyLeft === 0) this.#finishBody();
      } else if (this.#padLeft > 0) {
        const n = Math.min(this.#padLeft, chunk.length - i);
        this.#padLeft -= n;
        i += n;
      } else {
        const n = Math.min(512 - this.#have, chunk.length - i);
        this.#header.set(chunk.subarray(i, i + n), this.#have);
        this.#have += n;
        i += n;
        if (this.#have === 512) {
          this.#have = 0;
          this.#readHeader();
        }
      }
    }
  }

  #readHeader(): void {
    const h = this.#header;
    if (h.every((b) => b === 0)) {
      this.ended = true;
      return;
    }
    const type = String.fromCharCode(h[156] || 0x30);
    let size = octal(h.subarray(124, 136));
    let name = cstr(h.subarray(0, 100));
    if (cstr(h.subarray(257, 262)) === "ustar") {
      const prefix = cstr(h.subarray(345, 500));
      if (prefix) name = `${prefix}/${name}`;
    }
    let linkname = cstr(h.subarray(157, 257));
    this.#padLeft = (512 - (size % 512)) % 512;
    this.#bodyLeft = size;
    if (type === "x" || type === "g" || type === "L" || type === "K") {
      this.#meta = { kind: type, parts: [], size: 0 };
      this.#entry = undefined;
      if (size === 0) this.#finishBody();
      return;
    }
    const next = this.#next;
    this.#next = {};
    if (next.path !== undefined) name = next.path;
    if (next.linkpath !== undefined) linkname = next.linkpath;
    if (next.size !== undefined && /^\d+$/.test(next.size)) size = Number(next.size);
    // Go's archive/tar reads no body for header-only types, whatever their size field says.
    if ("123456".includes(type)) size = 0;
    this.#bodyLeft = size;
    this.#padLeft = (512 - (size % 512)) % 512;
    this.#entry = { name: cleanTarName(name), type, size, linkname };
    this.#handlers.entry(this.#entry);
  }

  #finishBody(): void {
    const meta = this.#meta;
    if (!meta) return;
    this.#meta = undefined;
    const bytes = new Uint8Array(meta.size);
    let o = 0;
    for (const p of meta.parts) {
      bytes.set(p, o);
      o += p.length;
    }
    if (meta.kind === "x") Object.assign(this.#next, paxRecords(dec.decode(bytes)));
    else if (meta.kind === "L") this.#next.path = cstr(bytes);
    else if (meta.kind === "K") this.#next.linkpath = cstr(bytes);
  }
}
