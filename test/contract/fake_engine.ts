/**
 * A scripted engine for the malformed-answer tests: it answers `/_ping` and
 * `/version` (unprefixed, as negotiation asks) like dockerd 20.10, so the client
 * settles on API 1.12, and every other request with one scripted answer.
 */
import type http from "node:http";
import { Docker, type DockerError, UnexpectedResponseError } from "../../mod.ts";
import { httpServer } from "../transport/support.ts";
import assert from "node:assert/strict";

/** One scripted answer. */
export interface Answer {
  status?: number;
  contentType?: string;
  body: string | Uint8Array;
}

/** The malformations every JSON endpoint is tried with. */
export const MALFORMED = ["empty", "truncated", "html", "wrongType", "scalar", "message"] as const;
export type Malformation = typeof MALFORMED[number];

const HTML = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>\n";

/** The answer for a malformation, for a call whose answer is a JSON `kind`. */
export function malformed(m: Malformation, kind: "object" | "array"): Answer {
  const json = "application/json";
  switch (m) {
    case "empty":
      return { contentType: json, body: "" };
    case "truncated":
      return { contentType: json, body: kind === "array" ? '[{"Id":"0123abc","Ima' : '{"Id":"0123abc","Ima' };
    case "html":
      return { contentType: "text/html; charset=utf-8", body: HTML };
    case "wrongType":
      return { contentType: json, body: kind === "array" ? '{"Id":"0123abc"}' : '["0123abc"]' };
    case "scalar":
      return { contentType: json, body: '"OK"' };
    case "message":
      return { contentType: json, body: '{"message":"engine exploded mid-answer"}' };
  }
}

/** Start a scripted engine answering `answer` to everything but negotiation; `run` gets a Docker on it. */
export async function withFakeEngine<T>(
  answer: Answer,
  run: (docker: Docker, seen: string[]) => Promise<T>,
): Promise<T> {
  const seen: string[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.resume();
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0];
      seen.push(`${req.method} ${path}`);
      if (path === "/_ping") {
        return void res.writeHead(200, { "content-type": "text/plain", "api-version": "1.41" }).end("OK");
      }
      if (path === "/version") {
        return void res.writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ Version: "20.10.24", ApiVersion: "1.41", MinAPIVersion: "1.12", Os: "linux" }));
      }
      const headers: Record<string, string> = {};
      if (answer.contentType) headers["content-type"] = answer.contentType;
      res.writeHead(answer.status ?? 200, headers).end(answer.body);
    });
  };
  const srv = await httpServer(handler);
  const docker = new Docker({ host: srv.host, timeout: 30_000 });
  try {
    return await run(docker, seen);
  } finally {
    docker.close();
    await srv.close();
  }
}

/** Assert `p` rejects with an UnexpectedResponseError that names the status and the content type. */
export async function rejectsUnexpected(p: Promise<unknown>, answer: Answer, also?: RegExp): Promise<void> {
  const err = await p.then(() => undefined, (e) => e);
  assert.ok(err !== undefined, "the call resolved");
  assert.ok(
    err instanceof UnexpectedResponseError,
    `expected an UnexpectedResponseError, got ${(err as Error)?.name}: ${(err as Error)?.message}`,
  );
  assert.equal(err.status, answer.status ?? 200);
  assert.equal(err.contentType, answer.contentType ?? "");
  assert.ok(err.message.includes(String(answer.status ?? 200)), err.message);
  if (answer.contentType) assert.ok(err.message.includes(answer.contentType), err.message);
  // 200 characters of the body at most, each escaped to 4 at most, and an ellipsis.
  assert.ok(err.body.length <= 801, `body excerpt of ${err.body.length} characters`);
  // deno-lint-ignore no-control-regex
  assert.ok(!/[\x00-\x1f]/.test(err.body), "control characters escaped");
  if (also) assert.match(err.message, also);
}

/** Assert `p` rejects with a DockerError of class `cls` (a stream error), never a TypeError or SyntaxError. */
export async function rejectsTyped(p: Promise<unknown>, cls: typeof DockerError): Promise<DockerError> {
  const err = await p.then(() => undefined, (e) => e);
  assert.ok(err !== undefined, "the call resolved");
  assert.ok(err instanceof cls, `expected a ${cls.name}, got ${(err as Error)?.name}: ${(err as Error)?.message}`);
  return err as DockerError;
}
