/** The access checks and the glob dialect of lib/policy, shared by the gateway and the MCP server. */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import {
  bearerToken,
  checkHost,
  checkOrigin,
  findSecret,
  globMatch,
  isLoopback,
  matchesAny,
  Refusal,
  sameSecret,
} from "../../lib/policy/mod.ts";

test("policy loopback: names and addresses, and look-alikes that are not", () => {
  for (
    const h of ["localhost", "LOCALHOST", "app.localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1"]
  ) {
    assert.equal(isLoopback(h), true, h);
  }
  assert.equal(isLoopback("::ffff:127.0.0.1"), true);
  for (
    const h of [
      "127.0.0.1.evil.example",
      "localhost.evil.example",
      "128.0.0.1",
      "127.0.0.256",
      "::2",
      "1::1",
      "0.0.0.0",
      "evil-localhost",
      "",
    ]
  ) {
    assert.equal(isLoopback(h), false, h);
  }
});

test("policy host and origin checks: loopback always, named hosts and origins, cross-site refused", () => {
  checkHost("127.0.0.1:2375", []);
  checkHost("[::1]:8080", []);
  checkHost("gw.example:2375", ["gw.example"]);
  const refused = (fn: () => void, rule: string) =>
    assert.throws(fn, (e: unknown) => e instanceof Refusal && e.rule === rule);
  refused(() => checkHost("evil.example", ["gw.example"]), "host");
  refused(() => checkHost(null, []), "host");
  refused(() => checkHost("127.0.0.1.evil.example", []), "host");
  const h = (o: Record<string, string>) => new Headers(o);
  checkOrigin(h({}), { origins: [] });
  checkOrigin(h({ origin: "https://app.example" }), { origins: ["https://app.example"] });
  refused(() => checkOrigin(h({ origin: "http://localhost:3000" }), { origins: [] }), "origin");
  // The MCP server also accepts origins on loopback or its allowed hosts.
  checkOrigin(h({ origin: "http://localhost:3000" }), { origins: [], hosts: [] });
  checkOrigin(h({ origin: "http://[::1]:3000" }), { origins: [], hosts: [] });
  checkOrigin(h({ origin: "https://mcp.example" }), { origins: [], hosts: ["mcp.example"] });
  refused(() => checkOrigin(h({ origin: "http://evil.example" }), { origins: [], hosts: ["mcp.example"] }), "origin");
  refused(() => checkOrigin(h({ "sec-fetch-site": "cross-site" }), { origins: [] }), "origin");
});

test("policy tokens: bearer parsing and the constant-time comparison", async () => {
  assert.equal(bearerToken(new Headers()), undefined);
  assert.equal(bearerToken(new Headers({ authorization: "Bearer abc" })), "abc");
  assert.equal(bearerToken(new Headers({ authorization: "bearer  abc " })), "abc");
  assert.equal(bearerToken(new Headers({ authorization: "Basic abc" })), "");
  assert.equal(await sameSecret("s3cret-s3cret", "s3cret-s3cret"), true);
  assert.equal(await sameSecret("s3cret-s3cret", "s3cret-s3creT"), false);
  assert.equal(await sameSecret("s3cret", "s3cret-s3cret"), false, "a prefix");
  assert.equal(await sameSecret("", ""), true);
  assert.equal(await sameSecret("a", ""), false);
  const entries = [{ id: "a", token: "token-a-token-a" }, { id: "b", token: "token-b-token-b" }];
  assert.equal((await findSecret(entries, "token-b-token-b"))?.id, "b");
  assert.equal(await findSecret(entries, "token-c-token-c"), undefined);
});

test("policy glob: one dialect for endpoints, tools, images and names", () => {
  assert.equal(globMatch("containers/*", "containers/create"), true);
  assert.equal(globMatch("containers/*", "containers"), false);
  assert.equal(globMatch("*", "anything/at:all"), true);
  assert.equal(globMatch("busybox*", "busybox:latest"), true);
  assert.equal(globMatch("busybox*", "docker.io/busybox"), false);
  assert.equal(globMatch("*_container", "run_container"), true);
  assert.equal(globMatch("web-?", "web-1"), true);
  assert.equal(globMatch("web-?", "web-12"), false);
  assert.equal(globMatch("a.b", "axb"), false, "dots are literal");
  assert.equal(globMatch("x(y)", "x(y)"), true);
  assert.equal(matchesAny(["a*", "b*"], ["zz", "bq"]), true);
  assert.equal(matchesAny([], ["a"]), false);
  assert.equal(matchesAny(undefined, ["a"]), false);
});
