/**
 * Issue #13's proof: one agent session end to end, driven through the SDK
 * client as an agent would, against a real engine. Build an app image from a
 * directory, run it with a label, exec its health check, read its logs and
 * stats, find it by label, stop it (confirmed), remove it (confirmed), prune the label's
 * stopped containers (confirmed), remove the image (confirmed).
 *
 * Every reply is checked for what it says and for its size: the whole
 * CallToolResult as JSON (text content plus structuredContent) must stay
 * under {@link REPLY_BOUND} bytes (build_image, which carries the build log,
 * under {@link BUILD_BOUND}). The bounds are generous on purpose (today's
 * replies are 150 B to 1.4 KB each):
 * they catch a reply that balloons (a dumped inspect, an unbounded log), not
 * wording changes. All replies together stay under {@link SESSION_BOUND}.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import nodePath from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { engineTest, test } from "../harness.ts";
import { connectClient, structured, textOf } from "./helpers.ts";
import { NotFoundError } from "../../mod.ts";
import { pruneText } from "../../mcp/tools/prune.ts";

/** Upper bound of one reply (JSON of the whole result), in bytes. */
const REPLY_BOUND = 4096;
/** Upper bound of build_image's reply (it carries the build log's last lines). */
const BUILD_BOUND = 16384;

/** Upper bound of all the session's replies together, in bytes. */
const SESSION_BOUND = 24576;

/** The app: prints a numbered line every 0.2 s; the health check reads its state file. */
const APP_SH = `#!/bin/sh
i=0
trap 'echo "demo stopping after $i ticks"; exit 0' TERM
while true; do
  i=$((i + 1))
  echo "demo tick $i"
  echo "$i" > /tmp/ticks
  sleep 0.2
done
`;
const HEALTH_SH = `#!/bin/sh
test -s /tmp/ticks || { echo "unhealthy: no ticks yet"; exit 1; }
echo "healthy: $(cat /tmp/ticks) ticks"
`;

/** Call a tool as the agent does; returns the result, its structured content, its text and its size. */
async function call(client: Client, name: string, args: Record<string, unknown>, bound = REPLY_BOUND) {
  const r = await client.callTool({ name, arguments: args }) as CallToolResult;
  const size = JSON.stringify(r).length;
  if (r.isError) throw new Error(`${name} failed: ${textOf(r)}`);
  assert.ok(size < bound, `${name}: reply of ${size} bytes exceeds ${bound}: ${JSON.stringify(r).slice(0, 400)}`);
  return { s: structured(r), text: textOf(r), size };
}

engineTest("mcp/session", "an agent session: build, run, exec, logs, stats, find, stop, remove, prune", async (ctx) => {
  const app = ctx.uniq("demo");
  const label = `app=${app}`;
  const tag = `${app}:1`;
  const name = `${app}-web`;
  const { docker } = ctx;

  const dir = await mkdtemp(nodePath.join(tmpdir(), "dw-agent-session-"));
  ctx.defer(() => rm(dir, { recursive: true, force: true }));
  await writeFile(nodePath.join(dir, "app.sh"), APP_SH);
  await writeFile(nodePath.join(dir, "health.sh"), HEALTH_SH);
  await writeFile(
    nodePath.join(dir, "Dockerfile"),
    `FROM busybox:latest\nLABEL app=${app}\nCOPY app.sh health.sh /app/\nCMD ["sh", "/app/app.sh"]\n`,
  );
  // Whatever fails below, nothing of the session stays on the engine (deferred hooks run last-in first-out).
  ctx.defer(() => docker.images.remove(tag, { force: true }).catch(() => {}));
  ctx.defer(async () => {
    for (const c of await docker.containers.list({ all: true, filters: { label: [label] } })) {
      await docker.containers.remove(c.Id, { force: true }).catch(() => {});
    }
  });

  const asked: string[] = [];
  const { client, close } = await connectClient(
    { docker, mode: "full", allowedBuildPaths: [dir] },
    {
      elicit: (message) => {
        asked.push(message);
        return { action: "accept", content: { confirm: true } };
      },
    },
  );
  ctx.defer(close);
  const sizes: Record<string, number> = {};

  // 1. Build the app image from its directory.
  const built = await call(client, "build_image", { directory: dir, tag }, BUILD_BOUND);
  sizes.build_image = built.size;
  assert.match(built.s.imageId, /^[0-9a-f]{12}$/);
  assert.equal(built.s.tag, tag);
  assert.match(built.text, new RegExp(`${built.s.imageId}.*${tag}|${tag}.*${built.s.imageId}`));
  const imageId = (await docker.images.inspect(tag)).Id ?? "";
  assert.ok(imageId.startsWith(`sha256:${built.s.imageId}`), `${imageId} is not ${built.s.imageId}`);

  // 2. Run it detached, labelled.
  const run = await call(client, "run_container", { image: tag, name, labels: { app }, wait: false });
  sizes.run_container = run.size;
  assert.equal(run.s.name, name);
  assert.equal(run.s.exited, false);
  assert.match(run.s.id, /^[0-9a-f]{64}$/);
  assert.match(run.text, new RegExp(`^started ${run.s.id.slice(0, 12)}`));

  // 3. Exec the health check (it reads what the app wrote, so wait for the first tick).
  let health: Awaited<ReturnType<typeof call>> | undefined;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    health = await call(client, "exec_container", { container: name, command: ["sh", "/app/health.sh"] });
    if (health.s.exitCode === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  sizes.exec_container = health!.size;
  assert.equal(health!.s.exitCode, 0, `health check: ${health!.text}`);
  assert.match(health!.s.stdout, /^healthy: \d+ ticks\n$/);
  assert.equal(health!.s.stderr, "");
  assert.equal(health!.s.timedOut, false);
  assert.match(health!.text, /healthy: \d+ ticks/);
  assert.ok(asked.length >= 1, "exec_container was not confirmed");
  assert.match(asked[0], new RegExp(`^Run command in container "${name}"`));
  assert.match(asked[0], /"command":\["sh","\/app\/health.sh"\]/);
  const execQuestions = asked.length;

  // 4. Logs: the app's numbered lines, the newest last.
  await new Promise((r) => setTimeout(r, 1000));
  const logs = await call(client, "logs", { container: name, tail: 5 });
  sizes.logs = logs.size;
  const lines = logs.s.output.trimEnd().split("\n");
  assert.equal(lines.length, 5, logs.s.output);
  for (const line of lines) assert.match(line, /^demo tick \d+$/);
  const ticks = lines.map((l: string) => Number(l.split(" ")[2]));
  assert.deepEqual(ticks, ticks.map((_: number, i: number) => ticks[0] + i));
  assert.equal(logs.s.lines, 5);
  assert.match(logs.text, /<untrusted-data [^>]*>\n(.*\n)*demo tick \d+\n/);

  // 5. Stats: CPU and memory numbers.
  const stats = await call(client, "stats_container", { container: name });
  sizes.stats_container = stats.size;
  assert.equal(stats.s.container, name);
  assert.equal(typeof stats.s.cpuPercent, "number");
  assert.ok(Number.isFinite(stats.s.cpuPercent) && stats.s.cpuPercent >= 0, `cpu ${stats.s.cpuPercent}`);
  assert.ok(stats.s.memoryUsage > 0, `memory ${stats.s.memoryUsage}`);
  assert.ok(stats.s.pids >= 1, `pids ${stats.s.pids}`);

  // A one-off job of the same app (labelled, exits): the thing prune will clear later.
  const job = await call(client, "run_container", {
    image: tag,
    labels: { app },
    cmd: ["sh", "-c", "echo job done"],
    timeoutMs: 60_000,
  });
  sizes["run_container (job)"] = job.size;
  assert.equal(job.s.exitCode, 0);
  assert.equal(job.s.output, "job done\n");

  // 6. Find the app by label: exactly its one running row.
  const found = await call(client, "list_containers", { filters: { label: [label] } });
  sizes.list_containers = found.size;
  assert.equal(found.s.containers.length, 1, JSON.stringify(found.s.containers));
  assert.equal(found.s.containers[0].id, run.s.id.slice(0, 12));
  assert.deepEqual(found.s.containers[0].names, [name]);
  assert.equal(found.s.containers[0].image, tag);
  assert.match(found.text, new RegExp(name));

  // 7. Stop it (the user is asked: it ends the app's processes).
  const stopped = await call(client, "stop_container", { container: name, timeoutSeconds: 20 });
  sizes.stop_container = stopped.size;
  assert.deepEqual(stopped.s, { container: name, stopped: true });
  assert.equal(asked.length, execQuestions + 1);
  assert.match(asked.at(-1)!, new RegExp(`"${name}"`));
  const state = (await docker.containers.inspect(name)).State;
  assert.equal(state.Running, false);
  assert.equal(state.ExitCode, 0, "the app did not stop on SIGTERM");

  // 8. Remove it: the user is asked, and the question names the container.
  const removed = await call(client, "remove_container", { container: name });
  sizes.remove_container = removed.size;
  assert.deepEqual(removed.s, { container: name, removed: true });
  assert.equal(asked.length, execQuestions + 2);
  assert.match(asked.at(-1)!, new RegExp(`"${name}"`));
  assert.match(asked.at(-1)!, new RegExp(`${run.s.id.slice(0, 12)}, image ${tag}, exited \\(0\\)`));
  await assert.rejects(docker.containers.inspect(name), (e) => e instanceof NotFoundError);

  // 9. Prune the app's stopped containers (the job): only this label's, never another test's.
  const pruned = await call(client, "prune", { kind: "containers", label: [label] });
  sizes.prune = pruned.size;
  assert.deepEqual(pruned.s.removed, [job.s.id]);
  assert.equal(pruned.s.kind, "containers");
  assert.match(pruned.text, new RegExp(`^pruned 1 container \\([0-9.]+ k?B reclaimed\\): ${job.s.id.slice(0, 12)}$`));
  assert.equal(asked.length, execQuestions + 3);
  // The question reads as a sentence and names what goes (it once read "Prune unused objects every stopped ...").
  assert.match(asked.at(-1)!, new RegExp(`^Prune unused objects \\(every stopped container with label ${label}\\)\\?`));

  // 10. Remove the image (asked; the question names it).
  const gone = await call(client, "remove_image", { image: tag });
  sizes.remove_image = gone.size;
  assert.match(gone.text, new RegExp(`^removed ${tag}: 1 untagged, [1-9]\\d* layers deleted`));
  assert.equal(asked.length, execQuestions + 4);
  assert.match(asked.at(-1)!, new RegExp(tag));

  // The engine afterwards: nothing with the label, no image of that name.
  assert.deepEqual(await docker.containers.list({ all: true, filters: { label: [label] } }), []);
  await assert.rejects(docker.images.inspect(tag), (e) => e instanceof NotFoundError);
  assert.deepEqual(
    (await docker.images.list({ all: true })).filter((i) => i.Id === imageId),
    [],
  );
  // The whole session's replies, as an agent pays for them (about 5.5 KB today).
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  assert.ok(total < SESSION_BOUND, `the session's replies total ${total} bytes: ${JSON.stringify(sizes)}`);
}, { timeout: 180_000 });

test("prune's reply text: short ids, singular for one, the space reclaimed, and how many more", () => {
  // It once read "pruned 1 containers: <64 hex digits>" and left out the space reclaimed.
  const id = "83633e491f744a769417feee2c57c0db9ecc31c0e11b29743dd42a1eb4467a83";
  assert.equal(pruneText("containers", [id], 0), "pruned 1 container (0 B reclaimed): 83633e491f74");
  assert.equal(
    pruneText("images", [`sha256:${id}`, "x:1"], 2_500_000),
    "pruned 2 images (2.5 MB reclaimed): 83633e491f74, x:1",
  );
  assert.equal(pruneText("networks", ["n1"], 0), "pruned 1 network: n1");
  assert.equal(pruneText("volumes", [], 0), "pruned 0 volumes (0 B reclaimed)");
  const many = Array.from({ length: 25 }, (_, i) => `v${i}`);
  assert.match(
    pruneText("volumes", many, 1000),
    /^pruned 25 volumes \(1.0 kB reclaimed\): v0, .*, v19, \.\.\. \(5 more\)$/,
  );
});
