/**
 * The plain (not upgraded) entry path of the gateway: the audited decision
 * of {@link Gateway.decide}, then forwarding (or the v1.11 translation), with
 * the audit record finished when the response body ends.
 *
 * @module
 */
import { DockerError, EngineUnreachableError } from "../errors.ts";
import { countingStream } from "../streams/counting_stream.ts";
import { forward } from "./forward.ts";
import type { Gateway } from "./gateway.ts";
import { checkImageRules } from "./image_rules.ts";
import { readCappedBody } from "./inspect.ts";
import { Refusal } from "./refusal.ts";
import { serveV111 } from "./v111.ts";

/** Handle one plain request end to end. `rawPath`: the path as sent, when the server knows it. */
export async function servePlain(gateway: Gateway, req: Request, rawPath?: string): Promise<Response> {
  const url = new URL(req.url);
  const verdict = await gateway.decide(
    { method: req.method, url, headers: req.headers, rawPath: rawPath ?? url.pathname },
    (cap) => readCappedBody(req.body, cap),
  );
  const { record } = verdict;
  const done = (res: Response): Response => {
    if (!res.body) {
      gateway.finish(record, res.status);
      return res;
    }
    const body = countingStream(res.body, (bytes) => gateway.finish(record, res.status, bytes));
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  if (verdict.refusal) {
    await req.body?.cancel().catch(() => {});
    return done(verdict.refusal.toResponse());
  }
  const d = verdict.decision;
  try {
    if (d.match.def.body === "none") await req.body?.cancel().catch(() => {});
    // The image rules (only when the policy has image lists): before anything reaches the engine.
    const stream = await checkImageRules(
      gateway.docker,
      d,
      verdict.json,
      d.match.def.body === "stream" ? req.body : null,
    );
    if (gateway.legacy(d)) {
      const body = verdict.json === undefined ? undefined : JSON.parse(verdict.json);
      // No request.signal (Deno.serve aborts it after successful answers too): a client that
      // leaves mid-stream is seen as the server cancelling the answer's body, on every server.
      return done(
        await serveV111(gateway.docker, d.match, new URLSearchParams(d.query), body, undefined, {
          stream,
          headers: req.headers,
        }),
      );
    }
    return done(
      await forward(gateway.docker.client, {
        method: req.method,
        pathAndQuery: d.match.path + d.query,
        version: d.match.version,
        headers: req.headers,
        json: verdict.json,
        stream,
        endpoint: d.match.name,
        maxVersion: gateway.maxVersion,
      }),
    );
  } catch (err) {
    if (err instanceof Refusal) {
      // A refused stream body (a build context) is not read further; a locked one was cancelled by its reader.
      if (req.body && !req.body.locked) await req.body.cancel().catch(() => {});
      gateway.refused(record, err);
      return done(err.toResponse());
    }
    const status = err instanceof EngineUnreachableError ? 502 : 500;
    const message = err instanceof DockerError ? err.message : `gateway error: ${(err as Error)?.message ?? err}`;
    record.rule ||= "error";
    return done(
      new Response(JSON.stringify({ message }), { status, headers: { "content-type": "application/json" } }),
    );
  }
}
