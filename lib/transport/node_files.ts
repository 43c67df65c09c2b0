/**
 * File access through `node:fs` (context store, config.json, default sockets),
 * for the Node and Bun runtime entries.
 *
 * @module
 */
import { readFileSync, statSync } from "node:fs";
import type { FileAccess } from "./types.ts";

/** Synchronous file access through `node:fs`. */
export const nodeFiles: FileAccess = {
  readText(path) {
    try {
      return readFileSync(path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") {
        return undefined;
      }
      throw err;
    }
  },
  isSocket(path) {
    try {
      return statSync(path).isSocket();
    } catch {
      return false;
    }
  },
};
