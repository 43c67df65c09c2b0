/**
 * Image endpoints of the v1.11 reference (section 2.2), plus `get` and
 * `load` (section 2.3) and `insert` (removed after 1.11, sent as a build).
 *
 * @module
 */
import type { DockerClient } from "../client.ts";
import { type ImageSummary, listImages, type ListImagesOptions } from "./list.ts";
import { pullImage, type PullImageOptions } from "./pull.ts";
import { importImage, type ImportImageOptions } from "./import.ts";
import { insertImage, type InsertImageOptions } from "./insert.ts";
import { type ImageCallOptions, type ImageInspect, inspectImage } from "./inspect.ts";
import { getImageHistory, type ImageHistoryEntry } from "./history.ts";
import { pushImage, type PushImageOptions } from "./push.ts";
import { tagImage, type TagImageOptions } from "./tag.ts";
import { type ImageDeleteItem, removeImage, type RemoveImageOptions } from "./remove.ts";
import { searchImages, type SearchResult } from "./search.ts";
import { getImageTarball } from "./get.ts";
import { loadImages } from "./load.ts";
import { type ImagePruneOptions, pruneImages } from "./prune.ts";

export * from "./list.ts";
export * from "./pull.ts";
export * from "./import.ts";
export * from "./insert.ts";
export * from "./inspect.ts";
export * from "./history.ts";
export * from "./push.ts";
export * from "./tag.ts";
export * from "./remove.ts";
export * from "./search.ts";
export * from "./get.ts";
export * from "./load.ts";
export * from "./prune.ts";

/**
 * `docker.images`: the image endpoints.
 *
 * @example
 * ```ts
 * const img = await docker.images.inspect("busybox");
 * console.log(img.id, img.created);
 * ```
 */
export class Images {
  /** The client requests go through. */
  readonly client: DockerClient;
  constructor(client: DockerClient) {
    this.client = client;
  }

  /** `GET /images/json`: list images (`all`: include intermediate ones). */
  list(options?: ListImagesOptions): Promise<ImageSummary[]> {
    return listImages(this.client, options);
  }

  /** `POST /images/create?fromImage=...`: pull; resolves to the JSON progress stream. */
  pull(fromImage: string, options?: PullImageOptions): Promise<ReadableStream<Uint8Array>> {
    return pullImage(this.client, fromImage, options);
  }

  /** `POST /images/create?fromSrc=-`: import a rootfs tarball (streamed); resolves to the JSON progress stream. */
  import(
    source: ReadableStream<Uint8Array> | Uint8Array,
    options?: ImportImageOptions,
  ): Promise<ReadableStream<Uint8Array>> {
    return importImage(this.client, source, options);
  }

  /** `POST /images/(name)/insert`: add a file the engine downloads (a build on newer engines). */
  insert(name: string, options: InsertImageOptions): Promise<ReadableStream<Uint8Array>> {
    return insertImage(this.client, name, options);
  }

  /** `GET /images/(name)/json`: inspect, with the v1.11 lower-case keys. */
  inspect(name: string, options?: ImageCallOptions): Promise<ImageInspect> {
    return inspectImage(this.client, name, options);
  }

  /** `GET /images/(name)/history`: the image's layers. */
  history(name: string, options?: ImageCallOptions): Promise<ImageHistoryEntry[]> {
    return getImageHistory(this.client, name, options);
  }

  /** `POST /images/(name)/push`: push; resolves to the JSON progress stream. */
  push(name: string, options?: PushImageOptions): Promise<ReadableStream<Uint8Array>> {
    return pushImage(this.client, name, options);
  }

  /** `POST /images/(name)/tag`: tag into a repository. */
  tag(name: string, options: TagImageOptions): Promise<void> {
    return tagImage(this.client, name, options);
  }

  /** `DELETE /images/(name)`: untag and remove. */
  remove(name: string, options?: RemoveImageOptions): Promise<ImageDeleteItem[]> {
    return removeImage(this.client, name, options);
  }

  /** `GET /images/search`: search Docker Hub. */
  search(term: string, options?: ImageCallOptions): Promise<SearchResult[]> {
    return searchImages(this.client, term, options);
  }

  /** `GET /images/(name)/get`: the image as a tar stream. */
  get(name: string, options?: ImageCallOptions): Promise<ReadableStream<Uint8Array>> {
    return getImageTarball(this.client, name, options);
  }

  /** `POST /images/load`: load a tarball (streamed); resolves to the answer body. */
  load(
    tarball: ReadableStream<Uint8Array> | Uint8Array,
    options?: ImageCallOptions,
  ): Promise<ReadableStream<Uint8Array>> {
    return loadImages(this.client, tarball, options);
  }

  /** `POST /images/prune` (API 1.25): remove unused images matching the filters (untagged only by default). */
  prune(options?: ImagePruneOptions): ReturnType<typeof pruneImages> {
    return pruneImages(this.client, options);
  }
}
