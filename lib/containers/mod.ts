/**
 * Container endpoints of the v1.11 reference (section 2.1).
 *
 * @module
 */
import type { DockerClient } from "../client.ts";
import type { ContainerCallOptions } from "./common.ts";
import type { ContainerConfig } from "./config.ts";
import { type ContainerChange, containerChanges } from "./changes.ts";
import { attachContainer, type ContainerAttachOptions } from "./attach.ts";
import { attachContainerWebSocket, type ContainerAttachWebSocketOptions } from "./attach_ws.ts";
import {
  containerLogLines,
  containerLogsDecoded,
  type ContainerLogsDecodedOptions,
  type DecodedLogs,
  type LogLine,
} from "./logs_decoded.ts";
import type { AttachHandle } from "../streams/attach.ts";
import { type ContainerCreateOptions, type ContainerCreateResult, createContainer } from "./create.ts";
import { copyFromContainer } from "./copy.ts";
import { exportContainer } from "./export.ts";
import { type ContainerInspect, inspectContainer } from "./inspect.ts";
import { type ContainerKillOptions, killContainer } from "./kill.ts";
import { type ContainerListOptions, type ContainerSummary, listContainers } from "./list.ts";
import { containerLogs, type ContainerLogsOptions } from "./logs.ts";
import { type ContainerRemoveOptions, removeContainer } from "./remove.ts";
import { type ContainerStartOptions, startContainer } from "./start.ts";
import { type ContainerStopOptions, restartContainer, stopContainer } from "./stop.ts";
import { type ContainerTop, type ContainerTopOptions, topContainer } from "./top.ts";
import { type ContainerWaitResult, waitContainer } from "./wait.ts";
import { type ContainerExecOptions, execContainer, type ExecHandle } from "./exec.ts";
import { execCollect, type ExecCollectOptions, type ExecResult } from "./exec_collect.ts";
import { type ContainerStats, containerStats, type ContainerStatsOptions } from "./stats.ts";
import { type ContainerPruneOptions, pruneContainers } from "./prune.ts";

export type { ContainerCallOptions } from "./common.ts";
export { type ContainerConfig, ContainerConfigSchema } from "./config.ts";
export {
  type Healthcheck,
  HealthcheckSchema,
  type HostConfig,
  HostConfigSchema,
  LabelsSchema,
  type Mount,
  MountSchema,
  type NetworkingConfig,
  NetworkingConfigSchema,
  type RestartPolicy,
  RestartPolicySchema,
} from "./fields.ts";
export * from "./attach.ts";
export * from "./attach_ws.ts";
export * from "./changes.ts";
export * from "./create.ts";
export * from "./copy.ts";
export * from "./export.ts";
export * from "./inspect.ts";
export * from "./kill.ts";
export * from "./list.ts";
export * from "./logs.ts";
export * from "./logs_decoded.ts";
export * from "./remove.ts";
export * from "./start.ts";
export * from "./stop.ts";
export * from "./top.ts";
export * from "./wait.ts";
export * from "./exec.ts";
export * from "./exec_collect.ts";
export * from "./stats.ts";
export * from "./prune.ts";

/**
 * `docker.containers`: the container endpoints.
 *
 * @example
 * ```ts
 * const { Id } = await docker.containers.create({ Image: "busybox", Cmd: ["sh", "-c", "exit 3"] });
 * await docker.containers.start(Id);
 * console.log((await docker.containers.wait(Id)).StatusCode); // 3
 * await docker.containers.remove(Id);
 * ```
 */
export class Containers {
  /** The client requests go through. */
  readonly client: DockerClient;
  constructor(client: DockerClient) {
    this.client = client;
  }

  /** `GET /containers/json`: list containers (running only unless `all`). */
  list(options?: ContainerListOptions): Promise<ContainerSummary[]> {
    return listContainers(this.client, options);
  }

  /** `POST /containers/create`: create a container; `options.name` is query `name`. */
  create(config: ContainerConfig, options?: ContainerCreateOptions): Promise<ContainerCreateResult> {
    return createContainer(this.client, config, options);
  }

  /** `GET /containers/(id)/json`: inspect a container (`ID` set, `Id` kept). */
  inspect(id: string, options?: ContainerCallOptions): Promise<ContainerInspect> {
    return inspectContainer(this.client, id, options);
  }

  /** `GET /containers/(id)/top`: processes of a running container (`psArgs` is query `ps_args`). */
  top(id: string, options?: ContainerTopOptions): Promise<ContainerTop> {
    return topContainer(this.client, id, options);
  }

  /** `GET /containers/(id)/logs`: the raw log stream (stdout and stderr unless chosen). */
  logs(id: string, options?: ContainerLogsOptions): Promise<ReadableStream<Uint8Array>> {
    return containerLogs(this.client, id, options);
  }

  /** `GET /containers/(id)/changes`: filesystem changes. */
  changes(id: string, options?: ContainerCallOptions): Promise<ContainerChange[]> {
    return containerChanges(this.client, id, options);
  }

  /** `GET /containers/(id)/export`: the container's filesystem as a tar stream. */
  export(id: string, options?: ContainerCallOptions): Promise<ReadableStream<Uint8Array>> {
    return exportContainer(this.client, id, options);
  }

  /** `POST /containers/(id)/start`: `true` when started, `false` when already running. */
  start(id: string, options?: ContainerStartOptions): Promise<boolean> {
    return startContainer(this.client, id, options);
  }

  /** `POST /containers/(id)/stop`: `true` when stopped, `false` when not running. */
  stop(id: string, options?: ContainerStopOptions): Promise<boolean> {
    return stopContainer(this.client, id, options);
  }

  /** `POST /containers/(id)/restart`. */
  restart(id: string, options?: ContainerStopOptions): Promise<void> {
    return restartContainer(this.client, id, options);
  }

  /** `POST /containers/(id)/kill`: `killSignal` is query `signal`. */
  kill(id: string, options?: ContainerKillOptions): Promise<void> {
    return killContainer(this.client, id, options);
  }

  /** `POST /containers/(id)/wait`: the exit code once the container stops. */
  wait(id: string, options?: ContainerCallOptions): Promise<ContainerWaitResult> {
    return waitContainer(this.client, id, options);
  }

  /** `DELETE /containers/(id)`: remove a container (`v` volumes, `force` running). */
  remove(id: string, options?: ContainerRemoveOptions): Promise<void> {
    return removeContainer(this.client, id, options);
  }

  /** `POST /containers/(id)/copy`: a file or folder of the container as a tar stream. */
  copy(id: string, resource: string, options?: ContainerCallOptions): Promise<ReadableStream<Uint8Array>> {
    return copyFromContainer(this.client, id, resource, options);
  }

  /**
   * `POST /containers/(id)/attach` over a hijacked connection: write stdin,
   * read stdout/stderr (demultiplexed unless TTY). Falls back to the websocket
   * attach on fetch-only transports.
   */
  attach(id: string, options?: ContainerAttachOptions): Promise<AttachHandle> {
    return attachContainer(this.client, id, options);
  }

  /** `GET /containers/(id)/attach/ws`: attach over a WebSocket (TCP engines; output raw). */
  attachWebSocket(id: string, options?: ContainerAttachWebSocketOptions): Promise<AttachHandle> {
    return attachContainerWebSocket(this.client, id, options);
  }

  /** `GET /containers/(id)/logs` as `{ stdout, stderr }` byte streams, TTY-aware. */
  logsDecoded(id: string, options?: ContainerLogsDecodedOptions): Promise<DecodedLogs> {
    return containerLogsDecoded(this.client, id, options);
  }

  /** `GET /containers/(id)/logs` as lines with their stream and (optionally) parsed timestamps. */
  logLines(id: string, options?: ContainerLogsDecodedOptions): AsyncGenerator<LogLine, void, undefined> {
    return containerLogLines(this.client, id, options);
  }

  /**
   * `POST /containers/(id)/exec` + `POST /exec/(id)/start` (hijacked): run a
   * command in a running container; stdin, stdout/stderr (demultiplexed unless
   * TTY) and the exit code on the handle. API 1.25 or later.
   */
  exec(id: string, options: ContainerExecOptions): Promise<ExecHandle> {
    return execContainer(this.client, id, options);
  }

  /** Run a command in a running container and collect its output (capped per stream) and exit code. */
  execCollect(id: string, options: ExecCollectOptions): Promise<ExecResult> {
    return execCollect(this.client, id, options);
  }

  /** `GET /containers/(id)/stats?stream=false`: one resource usage sample. API 1.25 (`oneShot`: 1.41). */
  stats(id: string, options?: ContainerStatsOptions): Promise<ContainerStats> {
    return containerStats(this.client, id, options);
  }

  /** `POST /containers/prune` (API 1.25): remove stopped containers matching the filters. */
  prune(options?: ContainerPruneOptions): ReturnType<typeof pruneContainers> {
    return pruneContainers(this.client, options);
  }
}
