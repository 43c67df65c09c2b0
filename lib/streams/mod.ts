/**
 * Stream decoders: multiplexed stdout/stderr, JSON progress, attach, build
 * contexts and archives.
 *
 * @module
 */
export {};
