import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { UnsupportedError } from "../../mod.ts";
import { createBody } from "../../lib/compat/container_create.ts";
import { startBody } from "../../lib/compat/container_start.ts";
import { copyRequest } from "../../lib/compat/container_copy.ts";
import { listQuery } from "../../lib/compat/container_list.ts";
import { inspectFromEngine } from "../../lib/compat/container_inspect.ts";

test("compat create: v1.11 top-level host fields move into HostConfig from 1.12; HostConfig wins", () => {
  const body = createBody("1.24", {
    Image: "busybox",
    Memory: 100,
    MemorySwap: -1,
    CpuShares: 2,
    Cpuset: "0",
    Dns: ["1.1.1.1"],
    VolumesFrom: "a, b:ro,",
    DisableNetwork: true,
    PortSpecs: ["80", "8080:80/udp", "10.0.0.1:1:2"],
    HostConfig: { Memory: 7, Privileged: true },
  });
  assert.deepEqual(body, {
    Image: "busybox",
    NetworkDisabled: true,
    ExposedPorts: { "80/tcp": {}, "80/udp": {}, "2/tcp": {} },
    HostConfig: {
      Memory: 7,
      Privileged: true,
      MemorySwap: -1,
      CpuShares: 2,
      CpusetCpus: "0",
      Dns: ["1.1.1.1"],
      VolumesFrom: ["a", "b:ro"],
      PortBindings: {
        "80/udp": [{ HostIp: "", HostPort: "8080" }],
        "2/tcp": [{ HostIp: "10.0.0.1", HostPort: "1" }],
      },
    },
  });
  assert.deepEqual(createBody("1.12", { Image: "busybox", Cmd: ["true"] }), { Image: "busybox", Cmd: ["true"] });
});

test("compat create: at 1.11 the body is sent as is; a HostConfig there is unsupported", () => {
  const config = { Image: "busybox", Memory: 5, VolumesFrom: "a", DisableNetwork: true };
  assert.deepEqual(createBody("1.11", config), config);
  assert.deepEqual(createBody("1.11", { ...config, HostConfig: {} }), config);
  assert.throws(() => createBody("1.11", { ...config, HostConfig: { Privileged: true } }), UnsupportedError);
});

test("compat start: HostConfig sent below 1.24, refused from 1.24, {} is none", () => {
  assert.deepEqual(startBody("1.23", "x", { Dns: ["a"] }), { Dns: ["a"] });
  assert.equal(startBody("1.44", "x", {}), undefined);
  assert.equal(startBody("1.44", "x", undefined), undefined);
  assert.throws(() => startBody("1.24", "x", { Dns: ["a"] }), (e: unknown) => {
    assert.ok(e instanceof UnsupportedError);
    assert.match(e.message, /API 1\.24/);
    assert.match(e.message, /pass HostConfig to containers\.create/);
    return true;
  });
});

test("compat copy: POST copy until 1.23, GET archive from 1.24 with an absolute path", () => {
  assert.deepEqual(copyRequest("1.23", "/containers/x", "etc/passwd"), {
    method: "POST",
    path: "/containers/x/copy",
    json: { Resource: "etc/passwd" },
  });
  assert.deepEqual(copyRequest("1.24", "/containers/x", "etc/passwd"), {
    method: "GET",
    path: "/containers/x/archive",
    query: { path: "/etc/passwd" },
  });
});

test("compat list: since/before as query at 1.11, as filters with all from 1.12", () => {
  assert.deepEqual(listQuery("1.11", { since: "a", limit: 3 }), {
    all: undefined,
    limit: 3,
    size: undefined,
    since: "a",
    before: undefined,
  });
  assert.deepEqual(listQuery("1.24", { since: "a", before: "b" }), {
    all: true,
    limit: undefined,
    size: undefined,
    filters: { since: ["a"], before: ["b"] },
  });
  assert.deepEqual(listQuery("1.24", { size: true }), { all: undefined, limit: undefined, size: true });
});

test("compat inspect: ID set, Id kept, Config gets HostConfig's v1.11 fields back, nothing dropped", () => {
  const raw = {
    Id: "abc",
    Extra: { keep: true },
    Config: { Image: "busybox" },
    HostConfig: { Memory: 9, Dns: null, VolumesFrom: ["a", "b"], CpusetCpus: "1" },
    NetworkSettings: { IPAddress: "1.2.3.4", IPPrefixLen: 16 },
  };
  const out = inspectFromEngine("1.24", structuredClone(raw));
  assert.equal(out.ID, "abc");
  assert.equal(out.Id, "abc");
  assert.deepEqual(out.Extra, { keep: true });
  assert.equal(out.Config.Memory, 9);
  assert.equal(out.Config.Cpuset, "1");
  assert.equal(out.Config.VolumesFrom, "a,b");
  assert.equal(out.Config.Dns, null);
  assert.equal(out.NetworkSettings.IpAddress, "1.2.3.4");
  assert.equal(out.NetworkSettings.IPAddress, "1.2.3.4");
  assert.equal(out.NetworkSettings.IpPrefixLen, 16);
});
