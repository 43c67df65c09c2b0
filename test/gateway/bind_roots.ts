/**
 * Host folders for the bind tests (the test engines share the test process's
 * file system): a read-only root `ok`, a read-write root `rw`, and `outside`
 * holding a marker file that no container may ever read. Plus containers
 * created with raw bodies, and the engine-side check that no container of a
 * test has a mount it must not have.
 *
 * @module
 */
import { lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Docker } from "../../mod.ts";
import { DockerError } from "../../lib/errors.ts";
import type { EngineContext } from "../harness.ts";

/** The folders of one test. */
export interface BindDirs {
  tmp: string;
  /** Read-only root. */
  ok: string;
  /** Read-write root. */
  rw: string;
  /** Outside every root; holds `marker`. */
  outside: string;
  /** The marker's content. */
  marker: string;
}

/** Make the folders under /tmp; removed by ctx.defer. */
export function bindDirs(ctx: EngineContext): BindDirs {
  const tmp = mkdtempSync(join(tmpdir(), "dw-binds-"));
  ctx.defer(() => rmSync(tmp, { recursive: true, force: true }));
  const dirs = {
    tmp,
    ok: join(tmp, "ok"),
    rw: join(tmp, "rw"),
    outside: join(tmp, "outside"),
    marker: ctx.uniq("marker"),
  };
  for (const d of [dirs.ok, dirs.rw, dirs.outside]) mkdirSync(d);
  writeFileSync(join(dirs.outside, "marker"), dirs.marker);
  return dirs;
}

/** Whether anything (a link included) exists at `path` on the host. */
export function existsOnHost(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** What a create gave: the id, or the refusal (status, message, rule). */
export interface Created {
  id?: string;
  status?: number;
  message?: string;
}

/** `POST /containers/create` with a raw body at API 1.41, labelled `dockwire.gw=<label>`; removed by ctx.defer. */
export async function createRaw(
  ctx: EngineContext,
  client: Docker,
  label: string,
  body: Record<string, unknown>,
): Promise<Created> {
  try {
    const r = await client.client.json<{ Id: string }>({
      method: "POST",
      path: "/containers/create",
      version: "1.41",
      json: { Image: "busybox:latest", Labels: { "dockwire.gw": label }, ...body },
    });
    ctx.defer(() => ctx.docker.containers.remove(r.Id, { force: true }).catch(() => {}));
    return { id: r.Id };
  } catch (err) {
    if (!(err instanceof DockerError)) throw err;
    return { status: err.status, message: err.engineMessage ?? err.message };
  }
}

/** Start a container and wait for it; its exit code and output (through the engine directly). */
export async function runToEnd(ctx: EngineContext, id: string): Promise<{ code: number; output: string }> {
  await ctx.docker.containers.start(id);
  const { StatusCode } = await ctx.docker.containers.wait(id);
  const logs = await ctx.docker.containers.logs(id, { stdout: true, stderr: true });
  const output = new TextDecoder().decode(new Uint8Array(await new Response(logs).arrayBuffer()));
  return { code: StatusCode, output };
}

/**
 * Bind mounts from this test's folders that no rule allows, on containers
 * labelled `label` (or on any container when no label is given), in any
 * state: a source outside `ok` and `rw`, strictly below `rw`, or a writable
 * one anywhere but exactly `rw`. Straight from the engine.
 */
export async function forbiddenMounts(ctx: EngineContext, dirs: BindDirs, label?: string): Promise<string[]> {
  const list = await ctx.docker.client.json<{ Id: string; Mounts?: { Type: string; Source: string; RW: boolean }[] }[]>(
    {
      method: "GET",
      path: "/containers/json",
      query: { all: true, ...(label ? { filters: { label: [`dockwire.gw=${label}`] } } : {}) },
      version: "1.41",
    },
  );
  const bad: string[] = [];
  for (const c of list) {
    for (const m of c.Mounts ?? []) {
      if (m.Type !== "bind" || (label === undefined && !m.Source.startsWith(dirs.tmp + "/"))) continue;
      const underOk = m.Source === dirs.ok || m.Source.startsWith(dirs.ok + "/");
      if (!(m.Source === dirs.rw || (underOk && !m.RW))) bad.push(`${c.Id.slice(0, 12)} ${m.Source} rw=${m.RW}`);
    }
  }
  return bad;
}
