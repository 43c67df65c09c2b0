import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { Docker, DockerArgumentError } from "../../mod.ts";

// A client pointing nowhere: if any of these calls sent a request, it would
// fail with EngineUnreachableError, not DockerArgumentError.
const offline = () => new Docker({ host: "unix:///nonexistent.sock" });

async function refused(p: Promise<unknown>, field: string, value: unknown): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DockerArgumentError, `expected DockerArgumentError, got ${e}`);
    assert.equal(e.field, field);
    assert.deepEqual(e.value, value);
    assert.ok(e.message.includes(field), e.message);
    assert.ok(e.message.includes(JSON.stringify(value)), e.message);
    return true;
  });
}

test("containers: negative or non-integer limit is refused before sending", async () => {
  const d = offline();
  await refused(d.containers.list({ limit: -1 }), "options.limit", -1);
  await refused(d.containers.list({ limit: 2.5 }), "options.limit", 2.5);
});

test("containers: empty, ../x and a/b ids are refused before sending", async () => {
  const d = offline();
  await refused(d.containers.inspect(""), "id", "");
  await refused(d.containers.inspect("../x"), "id", "../x");
  await refused(d.containers.start("a/b"), "id", "a/b");
  await refused(d.containers.remove("..", { force: true }), "id", "..");
  await refused(d.containers.copy("a/b", "/etc/passwd"), "id", "a/b");
  await refused(d.containers.list({ since: "../x" }), "options.since", "../x");
});

test("containers: a non-integer or malformed killSignal is refused", async () => {
  const d = offline();
  await refused(d.containers.kill("abc", { killSignal: 1.5 }), "options.killSignal", 1.5);
  await refused(d.containers.kill("abc", { killSignal: -9 }), "options.killSignal", -9);
  await refused(d.containers.kill("abc", { killSignal: "KILL; rm" }), "options.killSignal", "KILL; rm");
});

test("containers: unknown option keys and config keys are refused", async () => {
  const d = offline();
  // For an unknown key the error names the key (field) and its value.
  await refused(d.containers.list({ al: true } as never), "options.al", true);
  await refused(d.containers.stop("abc", { time: 3 } as never), "options.time", 3);
  await refused(d.containers.create({ Image: "busybox", Bogus: 1 } as never), "config.Bogus", 1);
  await refused(d.containers.create({ Image: "busybox", HostConfig: [] } as never), "config.HostConfig", []);
  await refused(d.containers.create({ Cmd: ["true"] } as never), "config.Image", undefined);
  await refused(d.containers.create({ Image: "../etc" }), "config.Image", "../etc");
  await refused(d.containers.create({ Image: "busybox", PortSpecs: ["x:y"] }), "config.PortSpecs.0", "x:y");
  await refused(d.containers.create({ Image: "busybox" }, { name: "a/b" }), "options.name", "a/b");
  await refused(d.containers.logs("abc", { tail: -1 }), "options.tail", -1);
  await refused(d.containers.stop("abc", { t: -1 }), "options.t", -1);
  await refused(d.containers.copy("abc", ""), "resource", "");
});
