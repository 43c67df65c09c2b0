/**
 * Today's fields on an engine too old for them: refused before any request
 * with a FieldVersionError naming the field, the version it needs and the
 * engine's range. The fake engine answers the version questions only
 * (`/_ping`, `/version`); any other request fails the test.
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { ApiVersionError, Docker, DockerArgumentError, FieldVersionError } from "../../mod.ts";
import type { SendRequest } from "../../lib/transport/types.ts";

/** A client on a fake engine that accepts `min` to `max`; `sent` gets every request but the version ones. */
function engineAccepting(min: string, max: string, pinned?: string): { docker: Docker; sent: string[] } {
  const sent: string[] = [];
  const send = (req: SendRequest) => {
    if (req.path === "/_ping") {
      return Promise.resolve({
        status: 200,
        statusText: "OK",
        headers: new Headers({ "api-version": max }),
        body: new Response("OK").body,
      });
    }
    if (req.path === "/version") {
      const body = JSON.stringify({ ApiVersion: max, MinAPIVersion: min });
      return Promise.resolve({ status: 200, statusText: "OK", headers: new Headers(), body: new Response(body).body });
    }
    sent.push(`${req.method} ${req.path}`);
    return Promise.reject(new Error(`no request expected: ${req.method} ${req.path}`));
  };
  const docker = new Docker({ transport: { address: "fake://old-engine", send }, version: pinned });
  return { docker, sent };
}

async function refusal(p: Promise<unknown>): Promise<FieldVersionError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof FieldVersionError, `expected FieldVersionError, got ${err}`);
    assert.ok(err instanceof ApiVersionError, "a FieldVersionError is an ApiVersionError");
    return err;
  }
  assert.fail("expected a refusal");
}

test("fields: create with Labels on an engine up to 1.17 is refused before any request", async () => {
  const { docker, sent } = engineAccepting("1.12", "1.17");
  const err = await refusal(docker.containers.create({ Image: "busybox", Labels: { a: "b" } }));
  assert.equal(err.field, "config.Labels");
  assert.equal(err.needs, "1.18");
  assert.equal(err.minVersion, "1.12");
  assert.equal(err.maxVersion, "1.17");
  assert.match(
    err.message,
    /config\.Labels needs API 1\.18 or later; the engine at fake:\/\/old-engine accepts 1\.12 to 1\.17/,
  );
  assert.deepEqual(sent, []);
});

test("fields: the newest field a call uses is the one named", async () => {
  const { docker, sent } = engineAccepting("1.12", "1.24");
  const err = await refusal(docker.containers.create({
    Image: "busybox",
    Labels: { a: "b" },
    HostConfig: { Mounts: [{ Type: "volume", Target: "/data" }], RestartPolicy: { Name: "always" } },
  }));
  assert.equal(err.field, "config.HostConfig.Mounts");
  assert.equal(err.needs, "1.25");
  const hc = await refusal(docker.containers.create({
    Image: "busybox",
    Healthcheck: { Test: ["CMD", "true"], StartPeriod: 1e9 },
  }));
  assert.equal(hc.field, "config.Healthcheck.StartPeriod");
  assert.equal(hc.needs, "1.29");
  assert.deepEqual(sent, []);
});

test("fields: list filters, build labels and pull platform name the field and its version", async () => {
  const { docker, sent } = engineAccepting("1.12", "1.17");
  const cases: [Promise<unknown>, string, string][] = [
    [docker.containers.list({ filters: { label: ["a=b"] } }), "options.filters.label", "1.18"],
    [docker.containers.list({ filters: { ancestor: ["busybox"] } }), "options.filters.ancestor", "1.21"],
    [docker.images.list({ filters: { reference: ["busybox"] } }), "options.filters.reference", "1.25"],
    [docker.images.list({ filters: { label: ["a"] } }), "options.filters.label", "1.18"],
    [docker.images.pull("busybox", { platform: "linux/amd64" }), "options.platform", "1.32"],
    [docker.build(new Uint8Array(1024), { labels: { a: "b" } }), "options.labels", "1.23"],
    [docker.build(new Uint8Array(1024), { platform: "linux/amd64" }), "options.platform", "1.32"],
  ];
  for (const [call, field, needs] of cases) {
    const err = await refusal(call);
    assert.equal(err.field, field);
    assert.equal(err.needs, needs, field);
  }
  assert.deepEqual(sent, []);
});

test("fields: a pinned version below the field's is refused, naming the pin", async () => {
  const { docker, sent } = engineAccepting("1.12", "1.45", "1.20");
  const err = await refusal(docker.containers.create({ Image: "busybox", NetworkingConfig: { EndpointsConfig: {} } }));
  assert.equal(err.field, "config.NetworkingConfig");
  assert.equal(err.needs, "1.22");
  assert.match(err.message, /pinned to 1\.20/);
  assert.deepEqual(sent, []);
});

test("fields: filters an old engine has go out; dangling needs only 1.12", async () => {
  const { docker, sent } = engineAccepting("1.12", "1.17");
  await assert.rejects(docker.images.list({ filters: { dangling: true } }), /no request expected/);
  await assert.rejects(docker.containers.list({ filters: { status: ["exited"] } }), /no request expected/);
  assert.equal(sent.length, 2);
  assert.match(sent[0], /^GET \/v1\.12\/images\/json\?filters=%7B%22dangling%22%3A%5B%22true%22%5D%7D$/);
  assert.match(sent[1], /^GET \/v1\.14\/containers\/json\?filters=/);
});

test("fields: bad values are refused before any request, naming the field", async () => {
  const { docker, sent } = engineAccepting("1.12", "1.45");
  const bad: [Promise<unknown>, RegExp][] = [
    [
      docker.containers.list({ filters: { status: ["sleeping" as "exited"] } }),
      /options\.filters\.status\.0 "sleeping"/,
    ],
    [docker.containers.list({ filters: { labels: ["a"] } as never }), /options\.filters\.labels .*unknown key/],
    [docker.images.list({ filters: { dangling: "yes" as never } }), /options\.filters\.dangling "yes"/],
    [docker.images.pull("busybox", { platform: "Linux AMD64" }), /options\.platform "Linux AMD64"/],
    [
      docker.containers.create({ Image: "busybox", HostConfig: { RestartPolicy: { Name: "sometimes" as "always" } } }),
      /config\.HostConfig\.RestartPolicy\.Name "sometimes"/,
    ],
    [
      docker.containers.create({ Image: "busybox", HostConfig: { Mounts: [{ Type: "volume", Target: "data" }] } }),
      /config\.HostConfig\.Mounts\.0\.Target "data"/,
    ],
    [docker.containers.create({ Image: "busybox", Labels: { a: 1 as unknown as string } }), /config\.Labels\.a 1/],
    [docker.containers.create({ Image: "busybox", Healthcheck: { Test: ["CMD"], Interval: 1.5 } }), /Interval 1\.5/],
  ];
  for (const [call, message] of bad) {
    await assert.rejects(call, (err: unknown) => {
      assert.ok(err instanceof DockerArgumentError, String(err));
      assert.match(err.message, message);
      return true;
    });
  }
  assert.deepEqual(sent, []);
});
