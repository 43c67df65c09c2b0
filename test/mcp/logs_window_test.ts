import assert from "node:assert/strict";
import { DockerArgumentError, UnsupportedError } from "../../mod.ts";
import { checkLogsWindow, logsTimestamp } from "../../lib/compat/container_logs.ts";
import { engineTest, test } from "../harness.ts";
import { callErr, callOk, connectClient } from "./helpers.ts";

test("logs since/until: query values; refused on engines older than the parameter", () => {
  assert.equal(logsTimestamp(1700000000), "1700000000");
  assert.equal(logsTimestamp(new Date(1700000000123)), "1700000000.123000000");
  checkLogsWindow("1.41", { since: 1, until: 2 });
  checkLogsWindow(undefined, { since: 1, until: 2 });
  checkLogsWindow("1.19", { since: 1 });
  assert.throws(
    () => checkLogsWindow("1.18", { since: 1 }),
    (e) => e instanceof UnsupportedError && /needs 1\.19/.test(e.message),
  );
  assert.throws(
    () => checkLogsWindow("1.34", { until: 1 }),
    (e) => e instanceof UnsupportedError && /needs 1\.35/.test(e.message),
  );
});

engineTest("containers/logs", "logs since/until select a time window (core and the MCP logs tool)", async (ctx) => {
  const { docker, uniq, defer, engine } = ctx;
  const name = uniq("logs-window");
  const { Id } = await docker.containers.create({
    Image: "busybox:latest",
    Cmd: ["sh", "-c", "echo early; sleep 2.5; echo late"],
  }, { name });
  defer(() => docker.containers.remove(Id, { force: true }));
  await docker.containers.start(Id);
  await docker.containers.wait(Id);

  // The line times as the engine recorded them.
  const stamped = await new Response(await docker.containers.logs(Id, { timestamps: true })).text();
  const times = [...stamped.matchAll(/(\d{4}-\d\d-\d\dT[\d:.]+Z) (early|late)/g)].map((m) => Date.parse(m[1]) / 1000);
  assert.equal(times.length, 2, stamped);
  const cut = Math.ceil(times[0]) + 1; // a whole second strictly between the two lines
  assert.ok(cut < times[1], `${times} ${cut}`);

  const text = async (o: Record<string, unknown>) =>
    (await new Response(await docker.containers.logs(Id, o)).text()).replace(/[\s\S]{8}(early|late)/g, "$1");
  assert.equal(await text({ since: cut }), "late\n", `engine ${engine}`);
  assert.equal(await text({ until: cut }), "early\n");
  assert.equal(await text({ since: new Date(cut * 1000) }), "late\n");
  assert.equal(await text({ since: cut - 10, until: cut + 10 }), "early\nlate\n");
  await assert.rejects(docker.containers.logs(Id, { since: -1 }), DockerArgumentError);

  const { client, close } = await connectClient({ docker });
  defer(close);
  assert.equal((await callOk(client, "logs", { container: name, since: cut })).output, "late\n");
  assert.equal((await callOk(client, "logs", { container: name, until: cut })).output, "early\n");
  assert.match(await callErr(client, "logs", { container: name, since: cut, until: cut - 1 }), /"until".*before since/);
});
