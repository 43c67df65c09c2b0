/**
 * The error hierarchy. Every failure a caller can meet is a {@link DockerError}:
 * catch the subclass you care about, or test `err instanceof DockerError`.
 *
 * @module
 */

/** What a request-related error knows about the call that failed. */
export interface DockerErrorInit {
  /** HTTP method of the request, when one was made (or about to be). */
  method?: string;
  /** Request path with query, without the version prefix. */
  path?: string;
  /** HTTP status the engine answered, when it answered. */
  status?: number;
  /** The engine's own message (JSON `message` or plain text), when it sent one. */
  engineMessage?: string;
  /** The underlying error. */
  cause?: unknown;
}

/** Base class of every error dockwire throws. */
export class DockerError extends Error {
  override name = "DockerError";
  /** HTTP method of the failed call. */
  readonly method?: string;
  /** Request path of the failed call. */
  readonly path?: string;
  /** HTTP status the engine answered. */
  readonly status?: number;
  /** The engine's own message. */
  readonly engineMessage?: string;

  constructor(message: string, init: DockerErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.engineMessage = init.engineMessage;
  }
}

/** An argument was refused before any request was sent. Names the field and the value. */
export class DockerArgumentError extends DockerError {
  override name = "DockerArgumentError";
  /** Dotted path of the offending field, e.g. `options.limit`. */
  readonly field: string;
  /** The value that was refused. */
  readonly value: unknown;
  constructor(message: string, field: string, value: unknown, init: DockerErrorInit = {}) {
    super(message, init);
    this.field = field;
    this.value = value;
  }
}

/** The engine answered 400: a bad parameter. */
export class BadParameterError extends DockerError {
  override name = "BadParameterError";
}

/** The engine answered 404: no such container, image or endpoint. */
export class NotFoundError extends DockerError {
  override name = "NotFoundError";
}

/** The engine answered 409: a conflict (name in use, container running ...). */
export class ConflictError extends DockerError {
  override name = "ConflictError";
}

/** The engine answered 500 (or another 5xx). */
export class ServerError extends DockerError {
  override name = "ServerError";
}

/** The engine refused the API version the client spoke. */
export class ApiVersionError extends DockerError {
  override name = "ApiVersionError";
  /** The version that was refused. */
  readonly requested: string;
  /** Lowest version the engine accepts, when known. */
  readonly minVersion?: string;
  /** Highest version the engine accepts, when known. */
  readonly maxVersion?: string;
  constructor(
    message: string,
    requested: string,
    range: { min?: string; max?: string },
    init: DockerErrorInit = {},
  ) {
    super(message, init);
    this.requested = requested;
    this.minVersion = range.min;
    this.maxVersion = range.max;
  }
}

/**
 * A call uses a field newer than the engine (or the pinned version) speaks:
 * refused before any request. Names the field, the API version it needs and
 * the versions the engine accepts (`minVersion`/`maxVersion`, when known).
 * A subclass of {@link ApiVersionError}, so one `catch` handles both.
 */
export class FieldVersionError extends ApiVersionError {
  override name = "FieldVersionError";
  /** The field that needs the newer version, e.g. `config.Labels`. */
  readonly field: string;
  /** The lowest API version that has the field. */
  readonly needs: string;
  constructor(
    message: string,
    field: string,
    needs: string,
    range: { min?: string; max?: string },
    init: DockerErrorInit = {},
  ) {
    super(message, needs, range, init);
    this.field = field;
    this.needs = needs;
  }
}

/** The engine cannot be reached: the connection failed. Names the address tried. */
export class EngineUnreachableError extends DockerError {
  override name = "EngineUnreachableError";
  /** The address that was tried, e.g. `unix:///var/run/docker.sock`. */
  readonly address: string;
  constructor(message: string, address: string, init: DockerErrorInit = {}) {
    super(message, init);
    this.address = address;
  }
}

/**
 * The runtime refused access: Deno without the permission a call needs (its
 * `NotCapable`, or `PermissionDenied`). The message names the flag to add,
 * e.g. `--allow-write=/var/run/docker.sock`.
 */
export class PermissionError extends DockerError {
  override name = "PermissionError";
  /** The flag(s) that grant the access, e.g. `--allow-net=127.0.0.1:2375`; undefined when no flag helps. */
  readonly flag?: string;
  /** What access was refused to: a path, `host:port`, a variable's name. */
  readonly resource?: string;
  constructor(message: string, access: { flag?: string; resource?: string }, init: DockerErrorInit = {}) {
    super(message, init);
    this.flag = access.flag;
    this.resource = access.resource;
  }
}

/** The engine did not send response headers within the timeout. */
export class TimeoutError extends DockerError {
  override name = "TimeoutError";
  /** The timeout that ran out, in milliseconds. */
  readonly timeout: number;
  constructor(message: string, timeout: number, init: DockerErrorInit = {}) {
    super(message, init);
    this.timeout = timeout;
  }
}

/** A stream broke its framing (bad header, truncated frame, undecodable JSON). */
export class StreamProtocolError extends DockerError {
  override name = "StreamProtocolError";
}

/** The engine reported an error inside a stream (newer engines' frame type 3). */
export class StreamEngineError extends DockerError {
  override name = "StreamEngineError";
}

/** An answer the client cannot use: neither what the reference nor any engine sends. */
export class UnsupportedError extends DockerError {
  override name = "UnsupportedError";
}

/** What an {@link UnexpectedResponseError} knows about the answer it could not use. */
export interface UnexpectedResponseInit extends DockerErrorInit {
  /** The answer's `Content-Type` (empty when the engine sent none). */
  contentType: string;
  /** The first bytes of the body (at most 200 characters, control characters escaped). */
  body: string;
  /** What the call needed, e.g. `a JSON array`. */
  expected: string;
}

/**
 * The engine answered with a success status but with something the call cannot
 * use: an empty body, truncated or invalid JSON, an HTML page, JSON of the wrong
 * type (or a field the call reads of the wrong type), or only an error message.
 * Carries the status, the content type and the first bytes of the body.
 */
export class UnexpectedResponseError extends DockerError {
  override name = "UnexpectedResponseError";
  /** The answer's `Content-Type` (empty when the engine sent none). */
  readonly contentType: string;
  /** The first bytes of the body (at most 200 characters, control characters escaped). */
  readonly body: string;
  /** What the call needed, e.g. `a JSON array`. */
  readonly expected: string;
  constructor(message: string, init: UnexpectedResponseInit) {
    super(message, init);
    this.contentType = init.contentType;
    this.body = init.body;
    this.expected = init.expected;
  }
}

/** The status → class table used for engine answers. */
export function errorClassFor(status: number): typeof DockerError {
  if (status === 400) return BadParameterError;
  if (status === 404) return NotFoundError;
  if (status === 409) return ConflictError;
  if (status >= 500) return ServerError;
  return DockerError;
}
