#!/usr/bin/env node
// The `dockwire` command of @dockwire/cli: dockwire's own command (lib/cli/main.ts), installed with the
// packages its gateway (`dockwire serve`) and MCP server (`dockwire mcp`) need.
import { runCli } from "dockwire/cli";

runCli();
