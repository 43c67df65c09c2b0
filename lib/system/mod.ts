/**
 * Misc endpoints of the v1.11 reference (section 2.3): ping, version, info,
 * auth, build, commit, events.
 *
 * @module
 */
export * from "./ping.ts";
export * from "./version.ts";
export * from "./info.ts";
export * from "./auth.ts";
export * from "./build.ts";
export * from "./commit.ts";
export * from "./events.ts";
