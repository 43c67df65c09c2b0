import assert from "node:assert/strict";
import { engineTest } from "../harness.ts";
import { NotFoundError } from "../../mod.ts";
import { createContainer, inspectImageRaw, removeImage, runToEnd, stdoutOf } from "./util.ts";

engineTest("commit", "makes an image of a container's changes with repo, tag, message, author, config", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  const marker = uniq("committed");
  const id = await createContainer(docker, ["sh", "-c", `echo ${marker} > /c.txt`], defer);
  assert.equal(await runToEnd(docker, id), 0);

  const repo = uniq("dockwire-commit");
  defer(() => removeImage(docker, `${repo}:c1`));
  const author = "Dock Wire <dockwire@example.test>";
  const result = await docker.commit(id, {
    repo,
    tag: "c1",
    comment: "a commit from dockwire",
    author,
    config: { Cmd: ["cat", "/c.txt"], Env: ["DOCKWIRE=1"] },
  });
  assert.match(result.Id, /^(sha256:)?[0-9a-f]{12,64}$/);

  const image = await inspectImageRaw(docker, `${repo}:c1`);
  assert.ok(String(image.Id).includes(result.Id.replace(/^sha256:/, "")));
  assert.equal(image.Author, author);
  assert.equal(image.Comment, "a commit from dockwire");
  assert.deepEqual(image.Config.Cmd, ["cat", "/c.txt"]);
  assert.ok(image.Config.Env.includes("DOCKWIRE=1"), JSON.stringify(image.Config.Env));
  assert.deepEqual(image.RepoTags, [`${repo}:c1`]);

  // the file the container wrote is in the image, and the committed Cmd prints it
  const runId = await createContainer(docker, undefined, defer, `${repo}:c1`);
  assert.equal(await runToEnd(docker, runId), 0);
  assert.equal((await stdoutOf(docker, runId)).trim(), marker);
});

engineTest("commit", "an unknown container is a NotFoundError", async ({ docker, uniq }) => {
  await assert.rejects(docker.commit(uniq("no-such-container")), (e: unknown) => {
    assert.ok(e instanceof NotFoundError, String(e));
    assert.equal(e.status, 404);
    assert.equal(e.path, "/commit");
    return true;
  });
});
