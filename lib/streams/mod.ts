/**
 * Stream decoders: multiplexed stdout/stderr, JSON progress, attach, build
 * contexts and archives.
 *
 * @module
 */
export * from "./demux_stream.ts";
export * from "./decode_output.ts";
export * from "./errors.ts";
export * from "./json_stream.ts";
export * from "./follow_progress.ts";
export {
  buildContext,
  type BuildContextFile,
  type BuildContextOptions,
  type PackEntry,
  packTarStream,
} from "./build_context.ts";
export {
  readFileFromTar,
  type ReadFileFromTarOptions,
  tarEntries,
  type TarEntriesOptions,
  type TarEntryInfo,
} from "./tar_read.ts";
export * from "./attach.ts";
export * from "./http_upgrade.ts";
export * from "./websocket_duplex.ts";
