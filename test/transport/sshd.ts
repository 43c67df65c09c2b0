/**
 * A private sshd on loopback for the ssh:// tests: its own host key, key auth
 * only, an authorized_keys in a temporary folder whose `environment=` points
 * the remote `docker system dial-stdio` at the test engine. Started and
 * stopped by the test; a machine without sshd fails the test, never passes it.
 *
 * @module
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { EngineContext } from "../harness.ts";

const SSHD = "/usr/sbin/sshd";

/** A running sshd and what a client needs to reach it. */
export interface Sshd {
  /** `ssh://user@127.0.0.1:PORT`. */
  address: string;
  /** ssh arguments that use the test's key and known_hosts, never ~/.ssh. */
  args: string[];
  /** The folder holding keys and config. */
  dir: string;
  /** A private key sshd does not accept. */
  otherKey: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function keygen(path: string): void {
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path], { stdio: "ignore" });
}

/** Wait until the port answers with an SSH banner. */
async function ready(port: number, child: ChildProcess, log: () => string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${log()}`);
    const banner = await new Promise<string>((resolve) => {
      const s = net.connect({ host: "127.0.0.1", port });
      s.setTimeout(2000, () => s.destroy());
      s.once("data", (d) => (resolve(String(d)), s.destroy()));
      s.once("error", () => resolve(""));
      s.once("close", () => resolve(""));
    });
    if (banner.startsWith("SSH-")) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`sshd did not answer on 127.0.0.1:${port} within ${ms} ms: ${log()}`);
}

/** Start sshd whose dial-stdio reaches `dockerHost`; stopped when the test ends. */
export async function startSshd(ctx: EngineContext, dockerHost: string): Promise<Sshd> {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: install Debian's openssh-server (test/setup.sh does)`);
  const dir = mkdtempSync(join(tmpdir(), "dw-sshd-"));
  ctx.defer(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }));
  keygen(join(dir, "host_key"));
  keygen(join(dir, "client_key"));
  keygen(join(dir, "other_key"));
  const pub = readFileSync(join(dir, "client_key.pub"), "utf8").trim();
  writeFileSync(join(dir, "authorized_keys"), `environment="DOCKER_HOST=${dockerHost}" ${pub}\n`);
  const port = await freePort();
  writeFileSync(
    join(dir, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${join(dir, "host_key")}`,
      // No pid file: a dying sshd removing it raced the folder's removal and left the folder behind.
      "PidFile none",
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      "StrictModes no",
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PermitRootLogin prohibit-password",
      "PermitUserEnvironment DOCKER_HOST",
      "UsePAM no",
      "MaxStartups 100",
      "LogLevel ERROR",
    ].join("\n") + "\n",
  );
  // sshd insists on its privilege separation folder (the package's service creates it at boot).
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const child = spawn(SSHD, ["-D", "-e", "-f", join(dir, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (d) => (log += String(d)));
  ctx.defer(async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  });
  await ready(port, child, () => log);
  const args = [
    "-F",
    "/dev/null",
    "-i",
    join(dir, "client_key"),
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    `UserKnownHostsFile=${join(dir, "known_hosts")}`,
    "-o",
    "StrictHostKeyChecking=accept-new",
    "-o",
    "BatchMode=yes",
    "-o",
    "LogLevel=ERROR",
    // The default post-quantum key exchange costs seconds of CPU per connection on a loaded
    // machine, and every request is its own ssh connection: the tests pick a cheaper one.
    "-o",
    "KexAlgorithms=curve25519-sha256",
  ];
  // `id -un`, not os.userInfo(): Bun answers "unknown" without a USER variable.
  const user = execFileSync("id", ["-un"], { encoding: "utf8" }).trim();
  return { address: `ssh://${user}@127.0.0.1:${port}`, args, dir, otherKey: join(dir, "other_key") };
}
