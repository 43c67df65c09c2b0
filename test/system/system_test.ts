import assert from "node:assert/strict";
import { engineTest, test } from "../harness.ts";
import { ApiVersionError, DockerArgumentError, parseHost } from "../../mod.ts";

test("parseHost understands unix, tcp, http and https", () => {
  assert.deepEqual(parseHost("unix:///var/run/docker.sock").socketPath, "/var/run/docker.sock");
  assert.equal(parseHost("tcp://127.0.0.1:2375").baseUrl, "http://127.0.0.1:2375");
  assert.equal(parseHost("tcp://127.0.0.1:2376", true).baseUrl, "https://127.0.0.1:2376");
  assert.equal(parseHost("https://example.test").baseUrl, "https://example.test:2376");
  assert.equal(parseHost("http://[::1]:2375").baseUrl, "http://[::1]:2375");
  assert.throws(() => parseHost("ftp://x"), (e: unknown) => e instanceof DockerArgumentError && e.field === "host");
  assert.throws(() => parseHost("unix://relative.sock"), DockerArgumentError);
});

engineTest("_ping", "answers OK", async ({ docker }) => {
  assert.equal(await docker.ping(), "OK");
});

engineTest("version", "returns the engine version in the v1.11 shape", async ({ docker, engine }) => {
  const v = await docker.version();
  assert.equal(typeof v.Version, "string");
  assert.equal(typeof v.GitCommit, "string");
  assert.equal(typeof v.GoVersion, "string");
  assert.ok(v.Version.startsWith(engine === "d20" ? "20.10" : "26."), v.Version);
});

engineTest("info", "returns system information", async ({ docker }) => {
  const i = await docker.info();
  assert.equal(typeof i.Containers, "number");
  assert.equal(typeof i.Images, "number");
  assert.ok(i.Images >= 1);
  assert.equal(typeof i.Driver, "string");
  // Not produced, because today's engines no longer have the data (README: translation table).
  const keys = i as Record<string, unknown>;
  assert.equal(keys.InitPath, undefined);
  assert.equal(keys.InitSha1, undefined);
});

engineTest("negotiation", "settles on the lowest version the engine accepts, once", async ({ connect, engine }) => {
  const docker = connect();
  const [a, b, c] = await Promise.all([docker.client.apiVersion(), docker.client.apiVersion(), docker.ping()]);
  assert.equal(a, b);
  assert.equal(c, "OK");
  assert.equal(a.version, engine === "d20" ? "1.12" : "1.24");
  assert.equal(a.min, a.version);
  assert.equal(a.max, engine === "d20" ? "1.41" : "1.45");
});

engineTest(
  "negotiation",
  "a pinned version is sent exactly; a refused one is a typed error naming the range",
  async ({ connect, engine }) => {
    const pinned = connect({ version: "1.40" });
    assert.equal(await pinned.ping(), "OK");
    const refused = connect({ version: "1.11" });
    await assert.rejects(refused.info(), (e: unknown) => {
      assert.ok(e instanceof ApiVersionError, String(e));
      assert.equal(e.requested, "1.11");
      assert.equal(e.minVersion, engine === "d20" ? "1.12" : "1.24");
      assert.equal(e.maxVersion, engine === "d20" ? "1.41" : "1.45");
      assert.equal(e.status, 400);
      assert.match(e.message, /1\.11/);
      return true;
    });
  },
);

engineTest(
  "negotiation",
  "one caller aborting does not fail the others sharing the first negotiation",
  async ({ connect }) => {
    const docker = connect();
    const ctl = new AbortController();
    const aborted = docker.ping({ signal: ctl.signal });
    const other = docker.ping();
    ctl.abort(new Error("caller gave up"));
    await assert.rejects(aborted, /caller gave up/);
    assert.equal(await other, "OK");
  },
);
