/**
 * Bypass corpus, builds: a Dockerfile must not reach a denied image (ARG in
 * FROM, COPY --from, a stage hidden by a line continuation or named by id) or
 * the host (RUN --mount binds, ADD outside the context). Each case asserts
 * that no image was tagged and no build container was left on the engine.
 */
import assert from "node:assert/strict";
import { type EngineContext, engineTest } from "../harness.ts";
import { callErr, connectClient } from "./helpers.ts";

/** build_image refuses `dockerfile` (matching `rule`); afterwards no tag and no container running the marker. */
async function buildRefused(ctx: EngineContext, dockerfile: (marker: string) => string, rule: RegExp) {
  const { client, close } = await connectClient({ docker: ctx.docker, mode: "write", denyImages: ["busybox*"] });
  ctx.defer(close);
  const tag = ctx.uniq("mcp-build-bypass").toLowerCase();
  const marker = ctx.uniq("marker");
  ctx.defer(() => ctx.docker.images.remove(tag, { force: true }).catch(() => {}));
  const text = await callErr(client, "build_image", {
    dockerfile: dockerfile(marker),
    files: { "in-context.txt": "x" },
    tag,
  });
  assert.match(text, rule, text);
  await assert.rejects(ctx.docker.images.inspect(tag), /no such image/i, `${tag} was built`);
  const left = (await ctx.docker.containers.list({ all: true })).filter((c) =>
    String(c.Command ?? "").includes(marker)
  );
  assert.deepEqual(left.map((c) => c.Id), [], "no build container left");
}

engineTest("mcp/safety", "mcp/safety: build_image refuses ARG B=<denied> + FROM ${B}", async (ctx) => {
  await buildRefused(ctx, (m) => `ARG B=busybox:latest\nFROM \${B}\nRUN echo ${m}\n`, /rule dockerfile\.arg-in-from/);
});

engineTest("mcp/safety", "mcp/safety: build_image refuses COPY --from=<denied image>", async (ctx) => {
  await buildRefused(
    ctx,
    () => `FROM scratch\nCOPY --from=busybox:latest /bin/busybox /bb\n`,
    /COPY --from.*rule image\.deny/,
  );
});

engineTest(
  "mcp/safety",
  "mcp/safety: build_image refuses a denied stage hidden by a line continuation",
  async (ctx) => {
    await buildRefused(
      ctx,
      (m) => `FROM \\\n  busybox:latest AS x\nRUN echo ${m}\nFROM scratch\nCOPY --from=x /bin/busybox /bb\n`,
      /line 1 \(FROM\).*rule image\.deny/,
    );
  },
);

engineTest("mcp/safety", "mcp/safety: build_image refuses a multi-stage FROM <denied id> AS x", async (ctx) => {
  const short = String((await ctx.docker.images.inspect("busybox:latest")).id).replace(/^sha256:/, "").slice(0, 12);
  await buildRefused(
    ctx,
    (m) => `from ${short} as x\nRUN echo ${m}\nFROM scratch\nCOPY --from=x /bin/busybox /bb\n`,
    /rule image\.deny/,
  );
});

engineTest("mcp/safety", "mcp/safety: build_image refuses RUN --mount=type=bind,source=../..", async (ctx) => {
  await buildRefused(
    ctx,
    (m) => `FROM scratch\nRUN --mount=type=bind,source=../..,target=/h echo ${m}\n`,
    /rule dockerfile\.mount-source/,
  );
});

engineTest("mcp/safety", "mcp/safety: build_image refuses ADD ../secret (outside the context)", async (ctx) => {
  await buildRefused(ctx, () => `FROM scratch\nADD ../secret /s\n`, /rule dockerfile\.outside-context/);
});
