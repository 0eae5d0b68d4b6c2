#!/usr/bin/env node
// The `greenlight` command. npm links a package's bin only when its file exists, and the
// compiled one (dist/bin.js) does not exist until a build: so the bin is this file, committed.
// In the repository, with the sources beside it, it first builds what is stale (the web UI
// and the examples only for `serve`, which `npm start` runs); in an installed package there
// are no sources, and it runs the compiled command at once.
import { existsSync } from "node:fs";

const buildScript = new URL("../../../scripts/build-stale.mjs", import.meta.url);
if (existsSync(new URL("../src/bin.ts", import.meta.url)) && existsSync(buildScript)) {
  const { buildStale } = await import(buildScript.href);
  buildStale({ everything: process.argv.slice(2).includes("serve") });
}
await import("../dist/bin.js");
