/**
 * Everyday helpers built on the endpoints: {@link run} (what `docker run`
 * does), the image tree (what `docker images --viz` did) and a progress
 * renderer for pull, push and build streams.
 *
 * @module
 */
export * from "./run.ts";
export * from "./progress.ts";
export * from "./image_tree.ts";
