/**
 * The tool catalog in process, through three agent frameworks, against the
 * real engines: an AI SDK model loop driven by a scripted mock model (no
 * network model), the OpenAI Agents SDK's and LangChain's tool objects
 * invoked directly. Each checks what the loop or caller sees and that the
 * engine is left as it was.
 *
 * @module
 */
import assert from "node:assert/strict";
import { generateText, jsonSchema, stepCountIs, tool } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { RunContext, tool as openAiTool } from "@openai/agents";
import { tool as langChainTool } from "@langchain/core/tools";
import { type EngineContext, engineTest } from "../harness.ts";
import { Docker, NotFoundError } from "../../mod.ts";
import {
  aiSdkTools,
  type ConfirmRequest,
  createToolCatalog,
  langChainTools,
  type ModelResult,
  openAiAgentsTools,
} from "../../mcp/tools_catalog.ts";

/**
 * The engine for the catalog: on d20 a fetch-only client over plain TCP (what an
 * edge runtime has), on d26 the runtime's own transport over its unix socket.
 */
function engineFor(ctx: EngineContext): { docker: Docker; how: string } {
  if (!ctx.tcpHost) return { docker: ctx.docker, how: "runtime transport" };
  const docker = new Docker({ host: ctx.tcpHost, fetch: (request: Request) => fetch(request) });
  ctx.defer(() => docker.close());
  return { docker, how: "fetch only" };
}

/** One scripted model turn: call these tools, or (none) finish with text. */
type Turn = { calls: { toolName: string; input: Record<string, unknown> }[] } | { text: string };

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

/** A mock model that plays `turns` in order and records the prompt of every turn. */
function scriptedModel(turns: Turn[]) {
  let i = 0;
  const prompts: unknown[] = [];
  const model = new MockLanguageModelV4({
    doGenerate: (options) => {
      prompts.push(options.prompt);
      const turn = turns[i++];
      if (!turn) throw new Error(`the model was called ${i} times; the script has ${turns.length} turns`);
      if ("text" in turn) {
        return Promise.resolve({
          content: [{ type: "text", text: turn.text }],
          finishReason: { unified: "stop", raw: "stop" },
          usage,
          warnings: [],
        });
      }
      return Promise.resolve({
        content: turn.calls.map((c, n) => ({
          type: "tool-call" as const,
          toolCallId: `call-${i}-${n}`,
          toolName: c.toolName,
          input: JSON.stringify(c.input),
        })),
        finishReason: { unified: "tool-calls", raw: "tool_calls" },
        usage,
        warnings: [],
      });
    },
  });
  return { model, prompts };
}

/** The tool results of a generateText run, in order, with their tool names. */
function resultsOf(steps: { toolResults: { toolName: string; output: unknown }[] }[]) {
  return steps.flatMap((s) => s.toolResults.map((r) => ({ name: r.toolName, output: r.output as ModelResult })));
}

async function assertGone(docker: Docker, name: string): Promise<void> {
  await assert.rejects(docker.containers.inspect(name), NotFoundError, `container ${name} was left behind`);
  const left = await docker.containers.list({ all: true, filters: { name: [name] } });
  assert.deepEqual(left.map((c) => c.Names), []);
}

engineTest(
  "tools/ai-sdk",
  "AI SDK model loop (mock model): list_images, run_container, logs, remove_container, nothing left behind",
  async (ctx) => {
    const { docker, how } = engineFor(ctx);
    const name = ctx.uniq("agent-loop");
    ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
    const asked: ConfirmRequest[] = [];
    const catalog = createToolCatalog({ docker, mode: "full" });
    const tools = aiSdkTools(catalog, { tool, jsonSchema }, {
      confirm: (q) => {
        asked.push(q);
        return true;
      },
    });
    const { model, prompts } = scriptedModel([
      { calls: [{ toolName: "list_images", input: {} }] },
      {
        calls: [{
          toolName: "run_container",
          input: { image: "busybox:latest", name, cmd: ["sh", "-c", "echo agent-says-$((6*7)); echo oops >&2"] },
        }],
      },
      { calls: [{ toolName: "logs", input: { container: name } }] },
      { calls: [{ toolName: "remove_container", input: { container: name } }] },
      { text: "The container ran and is gone." },
    ]);
    const result = await generateText({
      model,
      tools,
      prompt: "Run busybox once and clean up.",
      stopWhen: stepCountIs(8),
    });

    assert.equal(result.text, "The container ran and is gone.");
    const seen = resultsOf(result.steps);
    assert.deepEqual(seen.map((r) => r.name), ["list_images", "run_container", "logs", "remove_container"], how);
    for (const r of seen) assert.equal(r.output.isError, false, `${r.name}: ${r.output.text}`);

    const images = seen[0].output.structured!.images as { repoTags: string[] }[];
    assert.ok(images.some((i) => i.repoTags.includes("busybox:latest")), JSON.stringify(images));

    const run = seen[1].output.structured!;
    assert.equal(run.exitCode, 0);
    assert.equal(run.removed, false);
    assert.match(String(run.output), /agent-says-42/);

    const logs = seen[2].output;
    assert.match(logs.text, /<untrusted-data id="[0-9a-f]{8}" source="logs of container [^"]*">/);
    // stdout and stderr both, in whatever order the engine's log driver kept them (two pipes).
    assert.match(logs.text, /^agent-says-42$/m);
    assert.match(logs.text, /^oops$/m);
    assert.equal(logs.structured!.truncated, false);

    assert.deepEqual(seen[3].output.structured, { container: name, removed: true });
    assert.equal(asked.length, 1, "remove_container asked once");
    assert.equal(asked[0].tool, "remove_container");
    assert.equal(asked[0].target, name);
    assert.match(asked[0].message, new RegExp(`Remove container "${name}" \\([0-9a-f]{12}, image busybox`));

    // The model was given each result before its next turn.
    assert.equal(prompts.length, 5);
    const lastPrompt = JSON.stringify(prompts[4]);
    for (const n of ["list_images", "run_container", "logs", "remove_container"]) assert.ok(lastPrompt.includes(n), n);
    assert.ok(lastPrompt.includes("agent-says-42"), "the logs result reached the model");

    await assertGone(ctx.docker, name);
  },
  { timeout: 120_000 },
);

engineTest(
  "tools/ai-sdk",
  "AI SDK model loop (mock model): remove_container without confirm is refused, the container stays",
  async (ctx) => {
    const { docker } = engineFor(ctx);
    const name = ctx.uniq("agent-refused");
    await ctx.docker.containers.create({ Image: "busybox:latest", Cmd: ["true"] }, { name });
    ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
    const catalog = createToolCatalog({ docker, mode: "full" });
    const { model } = scriptedModel([
      { calls: [{ toolName: "remove_container", input: { container: name, force: true } }] },
      { calls: [{ toolName: "kill_container", input: { container: name } }] },
      { text: "I could not remove it." },
    ]);
    const result = await generateText({
      model,
      tools: aiSdkTools(catalog, { tool, jsonSchema }),
      prompt: "Remove the container.",
      stopWhen: stepCountIs(5),
    });
    const seen = resultsOf(result.steps);
    assert.deepEqual(seen.map((r) => r.name), ["remove_container", "kill_container"]);
    for (const r of seen) {
      assert.equal(r.output.isError, true, r.name);
      assert.equal(r.output.structured, undefined);
      assert.match(r.output.text, new RegExp(`^${r.name} refused: destructive calls need confirmation`));
      assert.match(r.output.text, /allowDestructive/);
    }
    assert.equal((await ctx.docker.containers.inspect(name)).Name, `/${name}`, "the container is still there");
  },
  { timeout: 90_000 },
);

engineTest(
  "tools/openai-agents",
  "OpenAI Agents SDK: catalog tools invoked with a run context run, read logs and remove (confirmed)",
  async (ctx) => {
    const { docker } = engineFor(ctx);
    const name = ctx.uniq("agent-oa");
    ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
    const catalog = createToolCatalog({ docker, mode: "full" });
    const asked: string[] = [];
    const tools = openAiAgentsTools(catalog, { tool: openAiTool }, {
      confirm: (q) => (asked.push(q.target), "accept"),
    });
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.deepEqual([...byName.keys()], catalog.tools.map((t) => t.name));
    const call = async (toolName: string, args: Record<string, unknown>) =>
      await byName.get(toolName)!.invoke(new RunContext(), JSON.stringify(args)) as unknown as ModelResult;

    const images = await call("list_images", {});
    assert.equal(images.isError, false, images.text);
    const run = await call("run_container", { image: "busybox:latest", name, cmd: ["echo", "oa-hello"] });
    assert.equal(run.isError, false, run.text);
    assert.equal(run.structured!.exitCode, 0);
    const logs = await call("logs", { container: name });
    assert.match(logs.text, /<untrusted-data [^]*oa-hello/);
    const bad = await call("logs", {});
    assert.equal(bad.isError, true);
    assert.equal(bad.text, 'logs: missing required argument "container"');
    const removed = await call("remove_container", { container: name });
    assert.deepEqual(removed.structured, { container: name, removed: true });
    assert.deepEqual(asked, [name]);
    await assertGone(ctx.docker, name);
  },
  { timeout: 90_000 },
);

engineTest(
  "tools/langchain",
  "LangChain: catalog tools invoked directly and as tool calls (text content, structured artifact)",
  async (ctx) => {
    const { docker } = engineFor(ctx);
    const name = ctx.uniq("agent-lc");
    ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
    const catalog = createToolCatalog({ docker, mode: "full" });
    const tools = langChainTools(catalog, { tool: langChainTool }, { confirm: () => true });
    // The adapter returns what langchain's tool() returns (a union of tool classes); each has invoke.
    type Invocable = { name: string; invoke(input: unknown): Promise<any> };
    const byName = new Map((tools as Invocable[]).map((t) => [t.name, t]));

    const listed = await byName.get("list_images")!.invoke({});
    assert.match(String(listed), /busybox:latest/);
    const run = await byName.get("run_container")!.invoke({ image: "busybox:latest", name, cmd: ["echo", "lc-hi"] });
    assert.match(String(run), /lc-hi/);
    const message = await byName.get("logs")!.invoke({
      type: "tool_call",
      id: "call-1",
      name: "logs",
      args: { container: name },
    });
    assert.equal(message.tool_call_id, "call-1");
    assert.match(String(message.content), /<untrusted-data [^]*lc-hi/);
    const artifact = message.artifact as ModelResult;
    assert.equal(artifact.structured!.container, name);
    assert.match(String(artifact.structured!.output), /^lc-hi\n$/);
    const removed = await byName.get("remove_container")!.invoke({ container: name });
    assert.match(String(removed), new RegExp(`removed ${name}`));
    await assertGone(ctx.docker, name);
  },
  { timeout: 90_000 },
);

engineTest(
  "tools/execute",
  "execute in process: onProgress reports a run, the signal cancels its wait (the result says cancelled)",
  async (ctx) => {
    const { docker } = engineFor(ctx);
    const name = ctx.uniq("agent-cancel");
    ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
    const catalog = createToolCatalog({ docker, mode: "write" });
    const updates: { message: string; progress: number; total?: number }[] = [];
    const ctl = new AbortController();
    const result = await catalog.get("run_container")!.execute(
      { image: "busybox:latest", name, cmd: ["sleep", "60"], timeoutMs: 90_000 },
      {
        signal: ctl.signal,
        onProgress: (update) => {
          updates.push(update);
          if (update.message.startsWith("started")) setTimeout(() => ctl.abort(new Error("user stopped")), 300);
        },
      },
    );
    assert.deepEqual(result, { isError: true, text: "run_container: cancelled" });
    assert.match(updates[0]?.message ?? "", /^created [0-9a-f]{12}$/, JSON.stringify(updates));
    assert.match(updates[1]?.message ?? "", /^started [0-9a-f]{12}$/);
    const steps = updates.map((u) => u.progress);
    assert.deepEqual(steps, [...steps].sort((a, b) => a - b), "progress only increases");
  },
  { timeout: 90_000 },
);
