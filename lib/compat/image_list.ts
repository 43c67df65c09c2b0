/**
 * `GET /images/json`: `VirtualSize` (v1.11: size including the parents)
 * is no longer sent from API 1.44 (deprecated in 1.43). Since layers are
 * shared, engines had already made it equal to `Size`, so dockwire sets
 * `VirtualSize = Size` when it is absent. `Id` and `ParentId` are bare hex as in
 * v1.11 (engines prefix `sha256:` from API 1.22). Every other field is kept.
 *
 * @module
 */
import type { ImageSummary } from "../images/list.ts";
import { bareImageId } from "./image_id.ts";

/** Add `VirtualSize` (= `Size`) where the engine left it out (API >= 1.44). */
export function translateImageList(raw: Record<string, unknown>[]): ImageSummary[] {
  return raw.map((img) => {
    const out = { ...img } as ImageSummary;
    if (out.VirtualSize === undefined && typeof img.Size === "number") out.VirtualSize = img.Size;
    out.Id = bareImageId(out.Id) as string;
    if (typeof out.ParentId === "string") out.ParentId = bareImageId(out.ParentId) as string;
    return out;
  });
}
