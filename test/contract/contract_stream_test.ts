/**
 * The v1.11 contract of the streaming answers, from the reference's example responses
 * (the line each comes from): the JSON progress messages of build, push and create image
 * (pull), the events, and the raw stream of a non-hijacked attach. Checked through the
 * core and through the gateway at /v1.11/ (preset full): every message has the keys of
 * one of the reference's message kinds, and the kinds that carry data (a progress bar, a
 * build step, an event) are there at least once.
 */
import assert from "node:assert/strict";
import { type EngineContext, engineTest } from "../harness.ts";
import { buildContext, demux } from "../../mod.ts";
import { encodeRegistryHeader } from "../../lib/auth.ts";
import { startGateway } from "../gateway/helpers.ts";
import { parseJsonObjects } from "../images/progress.ts";
import { serveFile } from "../images/serve_file.ts";
import { missingKeys, type Shape } from "./shapes.ts";

type Message = Record<string, unknown>;

/** A message kind of the reference: its keys (nested as the example shows them). */
interface Kind {
  name: string;
  shape: Shape;
}

const ERROR: Kind = { name: "error", shape: { error: true } };
/** Line 730-731 (create image) and 859-860 (push). */
const STATUS: Kind = { name: "status", shape: { status: true } };
const PULL_BAR: Kind = {
  name: "progress",
  shape: { status: true, progress: true, progressDetail: { current: true, total: true } },
};
const PUSH_BAR: Kind = { name: "progress", shape: { status: true, progress: true, progressDetail: { current: true } } };
/** Line 1030-1032 (build). */
const STEP: Kind = { name: "stream", shape: { stream: true } };
const BUILD_ERROR: Kind = { name: "error", shape: { error: true, errorDetail: { message: true } } };
/**
 * Not a v1.11 kind: the push's last message from Docker 1.10 (API 1.22) on,
 * `{"progressDetail":{},"aux":{"Tag","Digest","Size"}}`. The core keeps it (its
 * callers read the digest there); the gateway's v1.11 face drops it.
 */
const AUX_ADDED: Kind = { name: "aux", shape: { aux: { Tag: true, Digest: true, Size: true } } };
/** Line 1260-1263 (events): a container's events name its image in `from` ... */
const EVENT: Kind = { name: "event", shape: { status: true, id: true, from: true, time: true } };
/** ... an image's events have no image to name (`from` is omitted when empty, as v1.11 engines did). */
const IMAGE_EVENT: Kind = { name: "image event", shape: { status: true, id: true, time: true } };

/**
 * Every message is of one of `kinds` (has all its keys), and each kind in `needed` occurs.
 * Returns the messages, for the caller's own checks.
 */
function checkMessages(
  face: string,
  endpoint: string,
  messages: Message[],
  kinds: Kind[],
  needed: string[],
): Message[] {
  assert.ok(messages.length > 0, `${face} ${endpoint}: no messages`);
  const seen = new Set<string>();
  for (const m of messages) {
    // The most specific kind the message satisfies.
    const kind = [...kinds].reverse().find((k) => missingKeys(k.shape, m).length === 0);
    assert.ok(kind, `${face} ${endpoint}: a message of no v1.11 kind: ${JSON.stringify(m).slice(0, 300)}`);
    seen.add(kind.name);
  }
  for (const n of needed) {
    assert.ok(seen.has(n), `${face} ${endpoint}: no "${n}" message among ${JSON.stringify(messages).slice(0, 600)}`);
  }
  return messages;
}

/** Status 200 and the content type the reference gives (the body's start in the message when not). */
async function answered(res: Response, type: string): Promise<Response> {
  if (res.status !== 200) assert.fail(`${res.url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  assert.equal(res.headers.get("content-type")?.split(";")[0], type, res.url);
  return res;
}

async function messagesOf(body: ReadableStream<Uint8Array> | Response): Promise<Message[]> {
  return parseJsonObjects(await new Response(body instanceof Response ? body.body : body).text());
}

engineTest(
  "contract",
  "v1.11 contract: the messages of build, push, create image, events and attach",
  async (ctx: EngineContext) => {
    assert.ok(ctx.registry, "the run has a loopback registry");
    const d = ctx.docker;
    const gw = await startGateway(ctx, { policy: "full" });
    const call = (method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}) =>
      fetch(`${gw.url}/v1.11${path}`, { method, ...init });
    const since = Math.floor(Date.now() / 1000) - 1;
    const repo = ctx.uniq("contractstream");
    const remote = `${ctx.registry}/${repo}`;
    ctx.defer(async () => {
      for (const t of [`${repo}:core`, `${repo}:gw`, `${remote}:core`, `${remote}:gw`]) {
        await d.images.remove(t, { force: true }).catch(() => {});
      }
    });

    // A layer no other image has (random bytes), so push and pull move it with progress bars.
    const dockerfile = "FROM busybox\nRUN head -c 3000000 /dev/urandom > /r.bin && echo built\n";
    const context = async () =>
      new Uint8Array(await new Response(buildContext({ Dockerfile: dockerfile })).arrayBuffer());
    const kinds = [ERROR, STEP, BUILD_ERROR];
    checkMessages(
      "core",
      "POST /build",
      await messagesOf(await d.build(await context(), { t: `${repo}:core` })),
      kinds,
      [
        "stream",
      ],
    );
    const built = await call("POST", `/build?t=${repo}:gw&rm=1`, {
      body: await context(),
      headers: { "content-type": "application/tar" },
    });
    await answered(built, "application/json");
    checkMessages("gateway", "POST /build", await messagesOf(built), kinds, ["stream"]);

    // Push, then remove the image so that the pull downloads the layer again.
    const auth = { "x-registry-auth": encodeRegistryHeader({}) };
    await d.images.tag(`${repo}:core`, { repo: remote, tag: "core" });
    await d.images.tag(`${repo}:gw`, { repo: remote, tag: "gw" });
    const pushKinds = [STATUS, ERROR, PUSH_BAR];
    const pushedCore = await messagesOf(await d.images.push(remote, { tag: "core" }));
    checkMessages("core", "POST /images/(name)/push", pushedCore, [...pushKinds, AUX_ADDED], [
      "status",
      "progress",
      "aux",
    ]);
    const pushed = await call("POST", `/images/${remote}/push?tag=gw`, { headers: auth });
    await answered(pushed, "application/json");
    // The same layers were pushed a moment ago: the registry has them, so no bar is needed here.
    checkMessages("gateway", "POST /images/(name)/push", await messagesOf(pushed), pushKinds, ["status"]);

    for (const t of [`${repo}:core`, `${repo}:gw`, `${remote}:core`, `${remote}:gw`]) await d.images.remove(t);
    const pullKinds = [STATUS, ERROR, PULL_BAR];
    const pulledCore = await messagesOf(await d.images.pull(remote, { tag: "core" }));
    checkMessages("core", "POST /images/create", pulledCore, pullKinds, ["status", "progress"]);
    await d.images.remove(`${remote}:core`);
    const pulled = await call("POST", `/images/create?fromImage=${remote}&tag=gw`, { headers: auth });
    await answered(pulled, "application/json");
    checkMessages("gateway", "POST /images/create", await messagesOf(pulled), pullKinds, ["status", "progress"]);

    // Insert (the insert note: status, progress and error messages) is a build on today's engines: its
    // messages are the build's `stream` lines, which v1.11 clients display as they do status lines.
    const file = await serveFile("inserted\n");
    ctx.defer(() => file.close());
    const insertKinds = [STATUS, ERROR, PUSH_BAR, { ...STEP, name: "stream (the build emulation's)" }];
    const inserted = checkMessages(
      "core",
      "POST /images/(name)/insert",
      await messagesOf(await d.images.insert("busybox", { url: file.url, path: "/i.txt" })),
      insertKinds,
      ["stream (the build emulation's)"],
    );
    const gwInserted = await call("POST", `/images/busybox/insert?url=${encodeURIComponent(file.url)}&path=/i.txt`);
    await answered(gwInserted, "application/json");
    const gwMessages = await messagesOf(gwInserted);
    checkMessages("gateway", "POST /images/(name)/insert", gwMessages, insertKinds, ["stream (the build emulation's)"]);
    for (const m of [...inserted, ...gwMessages]) {
      const id = /Successfully built ([0-9a-f]+)/.exec(String(m.stream ?? ""))?.[1];
      if (id) ctx.defer(() => d.images.remove(id, { force: true }).catch(() => {}));
    }

    // A container that prints, for attach; its life gives the events.
    const made = await d.containers.create({ Image: "busybox", Cmd: ["sh", "-c", "echo out; echo err >&2"] });
    ctx.defer(() => d.containers.remove(made.Id, { force: true }).catch(() => {}));
    await d.containers.start(made.Id);
    await d.containers.wait(made.Id);
    const until = Math.floor(Date.now() / 1000) + 1;

    const events = await messagesOf(await d.events({ since, until }));
    const mine = checkMessages("core", "GET /events", events, [IMAGE_EVENT, EVENT], ["event", "image event"]).filter((
      e,
    ) => e.id === made.Id);
    assert.deepEqual(mine.map((e) => e.status).filter((s) => s === "create" || s === "start" || s === "die"), [
      "create",
      "start",
      "die",
    ]);
    const gwEvents = await call("GET", `/events?since=${since}&until=${until}`);
    await answered(gwEvents, "application/json");
    const gwMine = checkMessages("gateway", "GET /events", await messagesOf(gwEvents), [IMAGE_EVENT, EVENT], [
      "event",
      "image event",
    ])
      .filter((e) => e.id === made.Id);
    assert.deepEqual(gwMine.map((e) => e.status), mine.map((e) => e.status));

    // Line 519-524: attach with logs=1&stream=0 answers the logs on a raw stream.
    const attached = await call("POST", `/containers/${made.Id}/attach?logs=1&stream=0&stdout=1&stderr=1`);
    await answered(attached, "application/vnd.docker.raw-stream");
    const out: string[] = [];
    for await (const frame of demux(attached.body!)) {
      out.push(`${frame.stream}:${new TextDecoder().decode(frame.data)}`);
    }
    assert.deepEqual(out.sort(), ["stderr:err\n", "stdout:out\n"]);
  },
  { timeout: 300_000 },
);
