/**
 * v1.11 image ids are bare 64-digit hex; engines since 1.10 (API 1.22) prefix them with
 * `sha256:`. The v1.11 keys get the bare form; comparisons use it on both sides.
 *
 * @module
 */

/** `sha256:<64 hex>` → `<64 hex>`; anything else as it is. */
export function bareImageId(id: unknown): unknown {
  return typeof id === "string" && /^sha256:[0-9a-f]{64}$/.test(id) ? id.slice(7) : id;
}

/** Whether two image ids name the same image, with or without `sha256:`. */
export function sameImageId(a: unknown, b: unknown): boolean {
  return typeof a === "string" && typeof b === "string" && a !== "" && bareImageId(a) === bareImageId(b);
}
