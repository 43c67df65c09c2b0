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
