/**
 * The tool catalog, in the order tools/list shows it: read tools, then
 * write tools, then destructive ones.
 *
 * @module
 */
import type { ToolDef } from "./tool.ts";
import { events, info, ping, version } from "./tools/system.ts";
import { changes, inspectContainer, listContainers, logs, top } from "./tools/containers_read.ts";
import { imageHistory, imageTreeTool, inspectImage, listImages, searchImages } from "./tools/images_read.ts";
import { buildImage, commitContainer, insertFile, pullImage, pushImage, tagImage } from "./tools/images_write.ts";
import {
  copyFromContainer,
  createContainer,
  restartContainer,
  runContainer,
  startContainer,
  stopContainer,
  waitContainer,
} from "./tools/containers_write.ts";
import { killContainer, removeContainer, removeImage } from "./tools/destructive.ts";
import { execContainer } from "./tools/exec.ts";
import { statsContainer } from "./tools/stats.ts";
import { createNetwork, inspectNetwork, listNetworks, removeNetwork } from "./tools/networks.ts";
import { createVolume, inspectVolume, listVolumes, removeVolume } from "./tools/volumes.ts";
import { prune } from "./tools/prune.ts";

/** Every tool dockwire offers (the policy picks which are registered). */
export const TOOLS: readonly ToolDef[] = [
  // read-only
  ping,
  version,
  info,
  listContainers,
  inspectContainer,
  top,
  logs,
  changes,
  statsContainer,
  listImages,
  inspectImage,
  imageHistory,
  imageTreeTool,
  searchImages,
  listNetworks,
  inspectNetwork,
  listVolumes,
  inspectVolume,
  events,
  // write
  pullImage,
  buildImage,
  tagImage,
  commitContainer,
  createContainer,
  startContainer,
  stopContainer,
  restartContainer,
  waitContainer,
  runContainer,
  execContainer,
  copyFromContainer,
  insertFile,
  pushImage,
  createNetwork,
  createVolume,
  // destructive (full mode)
  killContainer,
  removeContainer,
  removeImage,
  removeNetwork,
  removeVolume,
  prune,
] as unknown as readonly ToolDef[];
