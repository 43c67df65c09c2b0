/**
 * Today's fields on the command line (#12): `dockwire build --label`, `dockwire images
 * --filter`, `--platform` on build and pull; they round-trip through the engine, and a
 * bad filter is a usage error before anything starts.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engineTest, test } from "../harness.ts";
import { dockwire, show } from "./spawn.ts";

engineTest("build", "dockwire build --label and images --filter label=... find exactly that image", async (ctx) => {
  const mark = ctx.uniq("dwcli-mark");
  const tag = ctx.uniq("dwcli-labelled");
  const dir = mkdtempSync(join(tmpdir(), "dwcli-fields-"));
  ctx.defer(() => rmSync(dir, { recursive: true, force: true }));
  ctx.defer(() => ctx.docker.images.remove(tag, { force: true }).catch(() => {}));
  writeFileSync(join(dir, "Dockerfile"), `FROM busybox:latest\nRUN echo ${mark}\n`);
  const built = await dockwire(
    [
      "build",
      dir,
      "-t",
      tag,
      "--label",
      `dwcli.mark=${mark}`,
      "--label",
      "dwcli.kind=cli",
      "--platform",
      "linux/amd64",
    ],
    { host: ctx.host, timeout: 180_000 },
  );
  assert.equal(built.code, 0, show(built));
  const listed = await dockwire(["images", "--filter", `label=dwcli.mark=${mark}`, "--json"], { host: ctx.host });
  assert.equal(listed.code, 0, show(listed));
  const rows = JSON.parse(listed.stdout) as { RepoTags?: string[]; Labels?: Record<string, string> }[];
  assert.deepEqual(rows.map((r) => r.RepoTags), [[`${tag}:latest`]]);
  assert.deepEqual(rows[0].Labels, { "dwcli.mark": mark, "dwcli.kind": "cli" });
  const table = await dockwire(["images", "--filter", `reference=${tag}`, "--filter", "dangling=false"], {
    host: ctx.host,
  });
  assert.equal(table.code, 0, show(table));
  assert.equal(table.stdout.trim().split("\n").length, 2, show(table));
  assert.match(table.stdout, new RegExp(`^${tag}\\s+latest`, "m"));
}, { timeout: 240_000 });

test("dockwire images --filter: an unknown key or a bad value is a usage error naming it", async () => {
  for (
    const [arg, why] of [
      ["nope=1", /unknown filter nope/],
      ["dangling=maybe", /dangling=true or dangling=false/],
      ["label", /expected KEY=VALUE/],
    ] as const
  ) {
    const r = await dockwire(["images", "-H", "tcp://127.0.0.1:9", "--filter", arg]);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, why, show(r));
  }
}, { timeout: 120_000 });
