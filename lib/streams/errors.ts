/**
 * Errors an engine reports inside a JSON progress stream (`{"error": ...,
 * "errorDetail": {...}}`): the HTTP call succeeded, the operation failed.
 *
 * @module
 */
import { DockerError, type DockerErrorInit } from "../errors.ts";

/** Which operation a JSON progress stream belongs to. */
export type ProgressKind = "build" | "pull" | "push" | "insert" | "import" | "load" | "events";

/** One object of a JSON progress stream (pull, push, build, insert, import, load, events), v1.11 shape. */
export interface ProgressMessage {
  /** What is happening: `Downloading`, `Pull complete`, `Status: Downloaded newer image for busybox:latest`. */
  status?: string;
  /** A rendered progress bar. */
  progress?: string;
  /** Progress as numbers. */
  progressDetail?: { current?: number; total?: number; [key: string]: unknown };
  /** The layer or image id the message is about. */
  id?: string;
  /** Build output text. */
  stream?: string;
  /** Auxiliary data of newer engines (build `{ID}`, push `{Tag, Digest, Size}`). */
  aux?: { [key: string]: unknown };
  /** The error text: such a message ends the stream with a {@link ProgressError}. */
  error?: string;
  /** The error with its code. */
  errorDetail?: { code?: number; message?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** What a {@link ProgressError} carries beyond {@link DockerErrorInit}. */
export interface ProgressErrorInit extends DockerErrorInit {
  /** The operation. */
  kind: ProgressKind;
  /** `errorDetail.code`, when the engine sent one. */
  code?: number;
  /** The last progress message before the error. */
  lastProgress?: ProgressMessage;
}

/** The engine reported an error in a JSON progress stream. Base of {@link BuildError}, {@link PullError}, {@link PushError}. */
export class ProgressError extends DockerError {
  override name = "ProgressError";
  /** The operation whose stream reported the error. */
  readonly kind: ProgressKind;
  /** `errorDetail.code`, when the engine sent one. */
  readonly code?: number;
  /** The last (non-error) message seen before the error. */
  readonly lastProgress?: ProgressMessage;
  constructor(message: string, init: ProgressErrorInit) {
    super(message, init);
    this.kind = init.kind;
    this.code = init.code;
    this.lastProgress = init.lastProgress;
  }
}

/** A build (or an insert, which newer engines run as a build) failed: `engineMessage` says why. */
export class BuildError extends ProgressError {
  override name = "BuildError";
}

/** An image pull failed. */
export class PullError extends ProgressError {
  override name = "PullError";
}

/** An image push failed. */
export class PushError extends ProgressError {
  override name = "PushError";
}

const VERBS: Record<ProgressKind, string> = {
  build: "build the image",
  pull: "pull the image",
  push: "push the image",
  insert: "insert the file",
  import: "import the image",
  load: "load the images",
  events: "follow events",
};

/**
 * Whether a progress message reports a failure: a non-empty `error`, or an `errorDetail`
 * object even without a message (Docker 1.2 ends a failed push to a v2 registry with
 * `{"errorDetail":{}}`).
 */
export function isErrorMessage(m: ProgressMessage): boolean {
  if (m.error !== undefined && m.error !== null && m.error !== "") return true;
  return m.errorDetail !== undefined && m.errorDetail !== null && typeof m.errorDetail === "object";
}

/** Turn an `{"error": ...}` (or `{"errorDetail": ...}`) message into the error class of its kind. */
export function progressError(kind: ProgressKind, message: ProgressMessage, last?: ProgressMessage): ProgressError {
  const detail = message.errorDetail;
  const text = typeof message.error === "string" && message.error !== ""
    ? message.error
    : typeof detail?.message === "string" && detail.message !== ""
    ? detail.message
    : message.error === undefined || message.error === null || message.error === ""
    ? `the engine reported an error without a message (${JSON.stringify(message).slice(0, 200)})`
    : JSON.stringify(message.error);
  const Cls = kind === "build" || kind === "insert"
    ? BuildError
    : kind === "pull"
    ? PullError
    : kind === "push"
    ? PushError
    : ProgressError;
  return new Cls(`Cannot ${VERBS[kind]}: ${text}`, {
    kind,
    code: typeof detail?.code === "number" ? detail.code : undefined,
    lastProgress: last,
    engineMessage: text,
  });
}
