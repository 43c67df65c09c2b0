/**
 * The bind rules of lib/policy as a table: what each source may be bound as,
 * and what is sent instead of what was asked.
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { type BindRoots, checkBind, checkBindMount, checkHostConfig, Refusal } from "../../lib/policy/mod.ts";

const ROOTS: BindRoots = {
  bindPaths: ["/srv/ro", "/data/rw/nested-ro", "/top/"],
  bindPathsRw: ["/data/rw", "/top/rw"],
};

/** [bind asked, what is sent, or a RegExp the refusal message matches] */
const BINDS: [string, string | RegExp][] = [
  ["/srv/ro:/w", "/srv/ro:/w:ro"],
  ["/srv/ro/sub/dir:/w", "/srv/ro/sub/dir:/w:ro"],
  ["/srv/ro/:/w", "/srv/ro:/w:ro"],
  ["/srv/ro///:/w", "/srv/ro:/w:ro"],
  ["/srv/ro:/w:ro", "/srv/ro:/w:ro"],
  ["/srv/ro:/w:rprivate", "/srv/ro:/w:rprivate,ro"],
  ["/srv/ro:/w:rw", /read-write binds are refused.*binds\.read-only/],
  ["/srv/ro:/w:ro,rw", /repeated option/],
  ["/srv/ro:/w:z", /relabel/],
  ["/srv/ro:/w:ro,Z", /relabel/],
  ["/srv/ro:/w:rshared", /propagation rshared/],
  ["/srv/ro:/w:nocopy", /nocopy/],
  ["/srv/ro:/w:bogus", /unknown or repeated option/],
  ["/srv/row:/w", /outside the allowed host paths/],
  ["/srv:/w", /outside/],
  ["/etc:/w", /outside/],
  ["/srv/ro/../../etc:/w", /without "\.", "\.\."/],
  ["/srv/ro/./x:/w", /without/],
  ["/srv/ro//x:/w", /without/],
  ["srv/ro:/w", /neither a host path nor a volume name/],
  ["/srv/ro", /not "source:\/target/],
  ["/srv/ro:w", /not "source:\/target/],
  ["/srv/ro:/w:ro:extra", /not "source:\/target/],
  // A read-write root: exactly, in any mode; nothing below it, whatever the mode.
  ["/data/rw:/w", "/data/rw:/w"],
  ["/data/rw/:/w:rw", "/data/rw:/w:rw"],
  ["/data/rw:/w:ro", "/data/rw:/w:ro"],
  ["/data/rw/escape:/w", /below the read-write root "\/data\/rw".*binds\.below-rw-root/],
  ["/data/rw/escape:/w:ro", /below the read-write root/],
  ["/data/rw/d/x:/w:ro", /below the read-write root/],
  // A read-only root nested below a read-write root is below it: refused.
  ["/data/rw/nested-ro:/w", /below the read-write root/],
  ["/data/rw/nested-ro/x:/w:ro", /below the read-write root/],
  // A read-write root nested below a read-only root: exactly rw, the rest of the read-only root read-only.
  ["/top/rw:/w:rw", "/top/rw:/w:rw"],
  ["/top/rw/x:/w", /below the read-write root "\/top\/rw"/],
  ["/top/other:/w", "/top/other:/w:ro"],
  ["/top:/w", "/top:/w:ro"],
  // Named volumes pass unchanged.
  ["myvol:/w", "myvol:/w"],
  ["myvol:/w:rw,nocopy", "myvol:/w:rw,nocopy"],
];

test("policy binds: the table of sources, modes and rewrites", () => {
  for (const [bind, want] of BINDS) {
    if (typeof want === "string") {
      assert.equal(checkBind(bind, ROOTS, "HostConfig.Binds"), want, bind);
    } else {
      assert.throws(
        () => checkBind(bind, ROOTS, "HostConfig.Binds"),
        (e: unknown) => e instanceof Refusal && e.rule === "HostConfig.Binds" && want.test(e.message),
        bind,
      );
    }
  }
});

test("policy binds: no roots means no host path at all", () => {
  assert.throws(() => checkBind("/srv/ro:/w:ro", {}, "start.Binds"), /outside the allowed host paths \(none\)/);
  assert.equal(checkBind("vol:/w", {}, "start.Binds"), "vol:/w");
});

test("policy binds: Mounts of type bind are forced read-only; ReadOnly false and CreateMountpoint refused", () => {
  const rule = "HostConfig.Mounts";
  assert.deepEqual(checkBindMount({ Type: "bind", Source: "/srv/ro/x/", Target: "/w" }, ROOTS, rule), {
    Type: "bind",
    Source: "/srv/ro/x",
    Target: "/w",
    ReadOnly: true,
  });
  assert.throws(
    () => checkBindMount({ Type: "bind", Source: "/srv/ro", Target: "/w", ReadOnly: false }, ROOTS, rule),
    /ReadOnly false is refused/,
  );
  assert.throws(
    () =>
      checkBindMount(
        { Type: "bind", Source: "/srv/ro/new", Target: "/w", BindOptions: { CreateMountpoint: true } },
        ROOTS,
        rule,
      ),
    /binds\.create-mountpoint/,
  );
  assert.throws(
    () =>
      checkBindMount(
        { Type: "bind", Source: "/srv/ro", Target: "/w", BindOptions: { ReadOnlyNonRecursive: true } },
        ROOTS,
        rule,
      ),
    /ReadOnlyNonRecursive/,
  );
  assert.throws(
    () => checkBindMount({ Type: "bind", Source: "/data/rw/escape", Target: "/w", ReadOnly: true }, ROOTS, rule),
    /below the read-write root/,
  );
  // Exactly a read-write root: as asked, CreateMountpoint included.
  const rw = {
    Type: "bind",
    Source: "/data/rw",
    Target: "/w",
    ReadOnly: false,
    BindOptions: { CreateMountpoint: true },
  };
  assert.deepEqual(checkBindMount(rw, ROOTS, rule), rw);
});

test("policy host config: flags refused by default, allowed by the rules; binds and mounts rewritten", () => {
  const refused: [Record<string, unknown>, string][] = [
    [{ Privileged: true }, "HostConfig.Privileged"],
    [{ PidMode: "host" }, "HostConfig.PidMode"],
    [{ NetworkMode: "HOST" }, "HostConfig.NetworkMode"],
    [{ UsernsMode: "host" }, "HostConfig.UsernsMode"],
    [{ Devices: [{ PathOnHost: "/dev/sda" }] }, "HostConfig.Devices"],
    [{ CapAdd: ["SYS_ADMIN"] }, "HostConfig.CapAdd"],
    [{ Sysctls: { "net.ipv4.ip_forward": "1" } }, "HostConfig.Sysctls"],
    [{ SecurityOpt: ["apparmor=unconfined"] }, "HostConfig.SecurityOpt"],
    [{ Mounts: [{ Type: "volume", Target: "/x", VolumeOptions: { Subpath: "a" } }] }, "HostConfig.Mounts"],
    [{ Mounts: [{ Type: "npipe", Source: "x", Target: "/x" }] }, "HostConfig.Mounts"],
    [{ Mounts: [{ Type: "volume", Source: "/etc", Target: "/x" }] }, "HostConfig.Mounts"],
  ];
  for (const [hc, rule] of refused) {
    assert.throws(() => checkHostConfig(hc, ROOTS), (e: unknown) => e instanceof Refusal && e.rule === rule, rule);
  }
  const open = { allowPrivileged: true, allowHostNamespaces: true, allowDevices: true, allowCapAdd: true };
  checkHostConfig({ Privileged: true, PidMode: "host", NetworkMode: "host", CapAdd: ["NET_ADMIN"] }, open);
  assert.throws(() => checkHostConfig({ PidMode: "container:x" }, open), /PidMode/);
  const out = checkHostConfig(
    { Binds: ["/srv/ro/a:/a"], Mounts: [{ Type: "bind", Source: "/srv/ro", Target: "/b" }], Memory: 1 },
    ROOTS,
    "start",
  );
  assert.deepEqual(out, {
    Binds: ["/srv/ro/a:/a:ro"],
    Mounts: [{ Type: "bind", Source: "/srv/ro", Target: "/b", ReadOnly: true }],
    Memory: 1,
  });
  assert.throws(
    () => checkHostConfig({ Binds: ["/data/rw/x:/x"] }, ROOTS, "start"),
    (e: unknown) => e instanceof Refusal && e.rule === "start.Binds",
  );
});
