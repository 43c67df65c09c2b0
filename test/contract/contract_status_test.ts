/**
 * The v1.11 contract for answers without a JSON body: status and content type as the
 * reference's examples give them (the line each comes from), through the gateway at
 * /v1.11/ (preset full); the core's calls resolve. Copy, export, get, load, commit and
 * the JSON endpoints are in test/gateway/v111_more_test.ts and contract_test.ts.
 */
import assert from "node:assert/strict";
import { type EngineContext, engineTest } from "../harness.ts";
import { startGateway } from "../gateway/helpers.ts";

/** [reference line, method, path template, status, content type]. */
const ROWS: [number, string, string, number, string?][] = [
  [419, "POST", "/containers/ID/start", 204],
  [313, "GET", "/containers/ID/logs?stdout=1&stderr=1", 200, "application/vnd.docker.raw-stream"],
  [472, "POST", "/containers/ID/restart?t=1", 204],
  [446, "POST", "/containers/ID/stop?t=1", 204],
  [1257, "GET", "/events?since=SINCE&until=UNTIL", 200, "application/json"],
  [904, "POST", "/images/busybox/tag?repo=REPO&force=1", 201],
  [629, "DELETE", "/containers/ID?force=1", 204],
];

engineTest(
  "contract",
  "v1.11 contract: statuses and content types of the answers without JSON",
  async (ctx: EngineContext) => {
    const d = ctx.docker;
    const gw = await startGateway(ctx, { policy: "full" });
    const repo = ctx.uniq("contractstatus");
    ctx.defer(() => d.images.remove(repo, { force: true }).catch(() => {}));
    const made = await d.containers.create({ Image: "busybox", Cmd: ["sh", "-c", "echo hi; sleep 60"] });
    ctx.defer(() => d.containers.remove(made.Id, { force: true }).catch(() => {}));
    const since = Math.floor(Date.now() / 1000) - 5;
    for (const [line, method, template, status, type] of ROWS) {
      const path = template.replace("ID", made.Id).replace("REPO", repo).replace("SINCE", String(since))
        .replace("UNTIL", String(Math.floor(Date.now() / 1000) + 1));
      const res = await fetch(`${gw.url}/v1.11${path}`, { method });
      const text = await res.text();
      assert.equal(res.status, status, `${method} ${template} (reference line ${line}): ${text.slice(0, 300)}`);
      if (type) assert.equal(res.headers.get("content-type")?.split(";")[0], type, `${method} ${template}`);
    }
    // The same calls through the core, on a second container.
    const other = await d.containers.create({ Image: "busybox", Cmd: ["sleep", "60"] });
    ctx.defer(() => d.containers.remove(other.Id, { force: true }).catch(() => {}));
    await d.containers.start(other.Id);
    await d.containers.restart(other.Id, { t: 1 });
    await d.containers.kill(other.Id);
    await d.images.tag("busybox", { repo, tag: "core", force: true });
    await d.images.remove(`${repo}:core`);
    await d.containers.remove(other.Id, { force: true });
  },
  { timeout: 180_000 },
);
