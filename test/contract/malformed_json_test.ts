/**
 * Every v1.11 endpoint whose answer is JSON × every malformation an engine (or
 * a proxy in front of it) can send with a 2xx status: the call rejects with an
 * UnexpectedResponseError naming the status and content type, never a
 * TypeError or SyntaxError. Scripted engine, no real one needed.
 */
import { test } from "../harness.ts";
import type { Docker } from "../../mod.ts";
import { type Answer, MALFORMED, malformed, rejectsUnexpected, withFakeEngine } from "./fake_engine.ts";

interface JsonEndpoint {
  /** The reference's endpoint. */
  endpoint: string;
  kind: "object" | "array";
  call: (d: Docker) => Promise<unknown>;
  /** Well-formed JSON whose fields the call reads are of the wrong type. */
  wrongInner: string;
}

const ENDPOINTS: JsonEndpoint[] = [
  {
    endpoint: "GET /containers/json",
    kind: "array",
    call: (d) => d.containers.list({ all: true }),
    wrongInner: '[{"Id":"0123abc","Ports":"80/tcp"}]',
  },
  {
    endpoint: "POST /containers/create",
    kind: "object",
    call: (d) => d.containers.create({ Image: "busybox", Cmd: ["true"] }),
    wrongInner: '{"Id":42,"Warnings":null}',
  },
  {
    endpoint: "GET /containers/(id)/json",
    kind: "object",
    call: (d) => d.containers.inspect("0123abc"),
    wrongInner: '{"Id":"0123abc","Config":"busybox","HostConfig":{},"NetworkSettings":7}',
  },
  {
    endpoint: "GET /containers/(id)/top",
    kind: "object",
    call: (d) => d.containers.top("0123abc"),
    wrongInner: '{"Titles":"PID CMD","Processes":"1 sh"}',
  },
  {
    endpoint: "GET /containers/(id)/changes",
    kind: "array",
    call: (d) => d.containers.changes("0123abc"),
    wrongInner: '["/tmp"]',
  },
  {
    endpoint: "POST /containers/(id)/wait",
    kind: "object",
    call: (d) => d.containers.wait("0123abc"),
    wrongInner: '{"StatusCode":"0"}',
  },
  {
    endpoint: "GET /images/json",
    kind: "array",
    call: (d) => d.images.list(),
    wrongInner: "[null]",
  },
  {
    endpoint: "GET /images/(name)/json",
    kind: "object",
    call: (d) => d.images.inspect("busybox"),
    wrongInner: '{"message":"no such image"}',
  },
  {
    endpoint: "GET /images/(name)/history",
    kind: "array",
    call: (d) => d.images.history("busybox"),
    wrongInner: '["0123abc"]',
  },
  {
    endpoint: "DELETE /images/(name)",
    kind: "array",
    call: (d) => d.images.remove("busybox"),
    wrongInner: '[["Untagged","busybox"]]',
  },
  {
    endpoint: "GET /images/search",
    kind: "array",
    call: (d) => d.images.search("busybox"),
    wrongInner: "[1,2,3]",
  },
  {
    endpoint: "POST /auth",
    kind: "object",
    call: (d) => d.auth({ username: "me", password: "pw", email: "me@example.org", serveraddress: "reg.example" }),
    wrongInner: '["Login Succeeded"]',
  },
  { endpoint: "GET /info", kind: "object", call: (d) => d.info(), wrongInner: "[]" },
  { endpoint: "GET /version", kind: "object", call: (d) => d.version(), wrongInner: "null" },
  {
    endpoint: "POST /commit",
    kind: "object",
    call: (d) => d.commit("0123abc", { repo: "dockwire-commit" }),
    wrongInner: '{"Id":["0123abc"]}',
  },
];

for (const ep of ENDPOINTS) {
  for (const m of MALFORMED) {
    // POST /auth answers 200 without a body in v1.11: an empty body is an answer there.
    if (ep.endpoint === "POST /auth" && m === "empty") continue;
    test(`malformed answer: ${ep.endpoint} × ${m} is an UnexpectedResponseError`, async () => {
      const answer = malformed(m, ep.kind);
      await withFakeEngine(
        answer,
        (d) => rejectsUnexpected(ep.call(d), answer, m === "message" ? /engine exploded/ : undefined),
      );
    });
  }
  test(`malformed answer: ${ep.endpoint} × wrong inner types is an UnexpectedResponseError`, async () => {
    const answer: Answer = { contentType: "application/json", body: ep.wrongInner };
    await withFakeEngine(answer, (d) => rejectsUnexpected(ep.call(d), answer));
  });
}

test("malformed answer: POST /auth × empty body is the v1.11 answer ({})", async () => {
  await withFakeEngine(malformed("empty", "object"), async (d) => {
    const r = await d.auth({ username: "me", password: "pw", email: "me@example.org", serveraddress: "reg.example" });
    if (JSON.stringify(r) !== "{}") throw new Error(`got ${JSON.stringify(r)}`);
  });
});

test("malformed answer: the error names the call and carries a capped, escaped excerpt", async () => {
  const answer: Answer = { contentType: "application/json", body: '[{"Id":"' + "a\u0001".repeat(400) };
  await withFakeEngine(answer, (d) => rejectsUnexpected(d.containers.list(), answer, /^Cannot list containers: /));
});

test("malformed answer: Podman's 200 with an empty body on top of a stopped container", async () => {
  const answer: Answer = { contentType: "application/json", body: "" };
  await withFakeEngine(
    answer,
    (d) => rejectsUnexpected(d.containers.top("0123abc"), answer, /empty body where a JSON object was expected/),
  );
});
