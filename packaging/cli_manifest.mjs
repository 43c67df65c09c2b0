// Writes the package.json of @dockwire/cli (the `dockwire` command with the gateway's and MCP server's
// packages) from the root package.json, so its version, its dependency on dockwire and the ranges of
// dockwire's optional peer dependencies cannot drift apart.
//   node packaging/cli_manifest.mjs ROOT_PACKAGE_JSON OUT_PACKAGE_JSON
import { readFileSync, writeFileSync } from "node:fs";

const [rootPath, outPath] = process.argv.slice(2);
if (!rootPath || !outPath) {
  console.error("usage: node packaging/cli_manifest.mjs ROOT_PACKAGE_JSON OUT_PACKAGE_JSON");
  process.exit(2);
}
const root = JSON.parse(readFileSync(rootPath, "utf8"));
const peers = root.peerDependencies ?? {};
const manifest = {
  name: "@dockwire/cli",
  version: root.version,
  description: "The dockwire command: a deny-by-default Docker API gateway (dockwire serve) and an MCP server " +
    "with safe, typed Docker tools (dockwire mcp), with everything they need.",
  license: root.license,
  type: "module",
  engines: root.engines,
  bin: { dockwire: "./bin/dockwire.js" },
  files: ["bin/", "README.md", "LICENSE"],
  // The exact version of the library beside it, and the packages dockwire marks optional.
  dependencies: { [root.name]: root.version, ...peers },
};
writeFileSync(outPath, JSON.stringify(manifest, null, 2) + "\n");
