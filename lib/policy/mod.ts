/**
 * The one safety policy both faces use: the gateway (lib/hono) and the MCP
 * server (mcp/). Host-config and bind rules, image and Dockerfile rules
 * (build contexts too), Host/Origin/token checks, the glob dialect, and the
 * refusal they throw.
 *
 * @module
 */
export {
  bearerToken,
  checkHost,
  checkOrigin,
  findSecret,
  hostName,
  isLoopback,
  type OriginRules,
  sameSecret,
} from "./access.ts";
export {
  type BindKind,
  type BindRoots,
  checkBind,
  checkBindMount,
  classifyBindSource,
  normaliseHostPath,
  normaliseRoot,
  VOLUME_NAME,
} from "./binds.ts";
export { globMatch, globToRegExp, matchesAny } from "./glob.ts";
export { checkHostConfig, type HostRules } from "./host_config.ts";
export {
  allowsImageName,
  allowsImageNames,
  type CheckedImage,
  checkImage,
  checkImageName,
  hasImageRules,
  type ImageCheckOptions,
  type ImageLookup,
  type ImageRules,
} from "./images.ts";
export { idNames, isDigestReference, isImageId, parseReference, referenceNames } from "./image_names.ts";
export { checkDockerfile, type DockerfileImage, dockerfileImages, type DockerfileRules } from "./dockerfile.ts";
export { type DockerfileInstruction, parseDockerfile } from "./dockerfile_parse.ts";
export { checkBuildContext, type CheckBuildContextOptions } from "./build_context.ts";
export { Refusal } from "./refusal.ts";
