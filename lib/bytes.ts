/** Join byte chunks into one array of at most `limit` bytes (the rest is dropped). */
export function concatBytes(parts: readonly Uint8Array[], limit = Infinity): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.byteLength;
  const out = new Uint8Array(Math.min(total, limit));
  let o = 0;
  for (const p of parts) {
    if (o >= out.byteLength) break;
    const take = Math.min(p.byteLength, out.byteLength - o);
    out.set(take === p.byteLength ? p : p.subarray(0, take), o);
    o += take;
  }
  return out;
}
