import assert from "node:assert/strict";
import { engineTest } from "../harness.ts";
import { callErr, callOk, connectClient } from "./helpers.ts";

engineTest("mcp/safety", "remove_container asks the user: decline keeps it, accept removes it", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  const name = uniq("mcp-elicit");
  await docker.containers.create({ Image: "busybox:latest", Cmd: ["true"] }, { name });
  defer(() => docker.containers.remove(name, { force: true }).catch(() => {}));
  const asked: string[] = [];
  let answer: "accept" | "decline" = "decline";
  // allowDestructive is set but must not matter: a client that can be asked is asked.
  const { client, close } = await connectClient({ docker, mode: "full", allowDestructive: true }, {
    elicit: (message) => {
      asked.push(message);
      return answer === "accept" ? { action: "accept", content: { confirm: true } } : { action: "decline" };
    },
  });
  defer(close);
  const declined = await callErr(client, "remove_container", { container: name });
  assert.match(declined, /not confirmed by the user \(decline\)/);
  assert.equal(asked.length, 1);
  assert.ok(asked[0].includes(name), asked[0]);
  assert.ok((await docker.containers.inspect(name)).Id, "still there");

  answer = "accept";
  assert.deepEqual(await callOk(client, "remove_container", { container: name }), { container: name, removed: true });
  assert.equal(asked.length, 2);
  await assert.rejects(docker.containers.inspect(name), /no such container/i);
});

engineTest(
  "mcp/safety",
  "without elicitation, destructive calls are refused unless the operator allowed them",
  async (ctx) => {
    const { docker, uniq, defer } = ctx;
    const name = uniq("mcp-noelicit");
    await docker.containers.create({ Image: "busybox:latest", Cmd: ["true"] }, { name });
    defer(() => docker.containers.remove(name, { force: true }).catch(() => {}));
    const { client, close } = await connectClient({ docker, mode: "full" });
    defer(close);
    assert.match(await callErr(client, "remove_container", { container: name }), /--allow-destructive/);
    assert.ok((await docker.containers.inspect(name)).Id, "still there");
  },
);

engineTest("mcp/safety", "run refuses privileged and host binds; name and image rules hold", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  const secret = uniq("mcp-secret");
  await docker.containers.create({ Image: "busybox:latest", Cmd: ["true"] }, { name: secret });
  defer(() => docker.containers.remove(secret, { force: true }).catch(() => {}));
  const { client, close } = await connectClient({
    docker,
    mode: "write",
    denyContainers: ["mcp-secret-*"],
    denyImages: ["alpine*"],
  });
  defer(close);
  assert.match(await callErr(client, "run_container", { image: "busybox:latest", privileged: true }), /privileged/);
  assert.match(
    await callErr(client, "run_container", { image: "busybox:latest", binds: ["/etc:/host-etc"] }),
    /binds.*outside/,
  );
  assert.match(
    await callErr(client, "create_container", { image: "busybox:latest", networkMode: "host" }),
    /networkMode/,
  );
  assert.match(await callErr(client, "create_container", { image: "alpine" }), /image "alpine" is not allowed/);
  // Denied by name: refused whether asked by name or by id, and hidden from the list.
  const { Id } = await docker.containers.inspect(secret);
  assert.match(await callErr(client, "inspect_container", { container: secret }), /not allowed/);
  assert.match(await callErr(client, "logs", { container: Id }), /not allowed/);
  const ps = await callOk(client, "list_containers", { all: true, limit: 500 });
  assert.ok(!ps.containers.some((c: { names: string[] }) => c.names.includes(secret)));
});
