import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { Docker, DockerArgumentError } from "../../mod.ts";

const nowhere = () => new Docker({ host: "unix:///nonexistent.sock" });

async function refused(p: Promise<unknown>, field: string, text?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DockerArgumentError, `${e}`);
    assert.equal(e.field, field);
    if (text) assert.match(e.message, text);
    return true;
  });
}

const tar = new Uint8Array(1024);

test("build refuses a bad t, an unknown option, a bad context, bad registryConfig before any request", async () => {
  const docker = nowhere();
  await refused(docker.build(tar, { t: "my image:v1" }), "options.t", /"my image:v1"/);
  await refused(docker.build(tar, { t: "UPPER/case" }), "options.t");
  await refused(docker.build(tar, { t: "repo:bad tag" }), "options.t");
  await refused(docker.build(tar, { t: "../x" }), "options.t");
  await refused(docker.build(tar, { t: "repo@sha256:" + "a".repeat(64) }), "options.t");
  await refused(docker.build(tar, { tag: "x" } as never), "options.tag", /unknown key "tag"/);
  await refused(docker.build(tar, { q: "yes" } as never), "options.q");
  await refused(docker.build(tar, { dockerfile: "a\nb" }), "options.dockerfile");
  await refused(docker.build("FROM busybox" as never, {}), "context");
  await refused(
    docker.build(tar, { registryConfig: { "r.example": { user: "x" } } as never }),
    "options.registryConfig.r.example.user",
  );
});

test("build accepts the reference grammar for t", async () => {
  const docker = nowhere();
  for (
    const t of [
      "app",
      "app:v1",
      "me/app:1.0-rc_1",
      "localhost/app",
      "localhost:5000/a/b:c",
      "reg.example.com/x",
      "127.0.0.1:43687/a-b__c.d:T",
    ]
  ) {
    // valid: the call gets as far as the (absent) engine
    await assert.rejects(
      docker.build(tar, { t }),
      (e: unknown) => !(e instanceof DockerArgumentError) || assert.fail(`${t}: ${e}`),
    );
  }
});

test("commit refuses a bad container id, a tag without repo, unknown keys", async () => {
  const docker = nowhere();
  await refused(docker.commit("../x"), "container", /"\.\.\/x"/);
  await refused(docker.commit("a/b"), "container");
  await refused(docker.commit("web", { tag: "v1" }), "options.tag", /needs a repo/);
  await refused(docker.commit("web", { repo: "Bad Repo" }), "options.repo");
  await refused(docker.commit("web", { message: "x" } as never), "options.message", /unknown key "message"/);
  await refused(docker.commit("web", { config: ["ls"] as never }), "options.config");
});

test("events refuses negative, fractional, string and inverted timestamps and unknown keys", async () => {
  const docker = nowhere();
  await refused(docker.events({ since: -1 }), "options.since");
  await refused(docker.events({ since: 1.5 }), "options.since");
  await refused(docker.events({ since: "yesterday" as never }), "options.since");
  await refused(docker.events({ until: new Date(Number.NaN) }), "options.until");
  await refused(docker.events({ since: 2000, until: 1000 }), "options.until", /before since/);
  await refused(docker.events({ filters: {} } as never), "options.filters", /unknown key "filters"/);
});

test("auth refuses unknown credential keys", async () => {
  const docker = nowhere();
  await refused(docker.auth({ user: "x" } as never), "config.user", /unknown key "user"/);
  await refused(docker.auth({ username: 7 } as never), "config.username");
  await refused(docker.auth({}, { retries: 1 } as never), "options.retries");
});
