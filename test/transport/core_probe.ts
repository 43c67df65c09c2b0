/**
 * Run by core_only_test.ts as its own process: imports only the core
 * (`mod.ts`, as `dockwire/core` on a fetch-only runtime), so no runtime entry
 * registers file access or spawning, and prints what a context and an ssh://
 * host give there.
 *
 * @module
 */
const ext = import.meta.url.endsWith(".js") ? "js" : "ts";
const { Docker } = await import(`../../mod.${ext}`);
for (
  const options of [{ context: "dw-any" }, { host: "ssh://me@example.org" }, { env: { DOCKER_CONTEXT: "dw-any" } }]
) {
  try {
    new Docker(options);
    console.log("accepted");
  } catch (err) {
    console.log(`${(err as Error).name}: ${(err as Error).message}`);
  }
}
