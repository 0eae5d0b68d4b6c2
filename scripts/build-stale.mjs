// Builds, in the repository, only what is stale, so that a command run right after `npm ci`,
// or after a `git pull`, runs what the sources say, and a start with nothing changed takes
// no build time. The `greenlight` launcher and `npm start` call it.
//
// - The TypeScript packages (and the examples) go through `tsc -b`, which is incremental. Even
//   finding nothing to do costs it half a second (it loads the compiler), so it is skipped
//   when no input is newer than the last `tsc -b` that succeeded here (a stamp file).
// - The web UI's Vite build takes ten seconds or more every time it runs: it runs only when
//   its output is missing or older than one of its inputs.
//
// Newer means a later modification time, as for make: checking out, pulling or editing a file
// makes it newer.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACKAGES = ["packages/sdk", "packages/server", "packages/cli"];
/** What `tsc -b` builds from, beside each project's own directory (its sources, tsconfig.json and package.json). */
const SHARED_TS_INPUTS = ["tsconfig.base.json", "package-lock.json"];
/** What each project's build makes; one missing means a build is due whatever the times say. */
const TS_OUTPUTS = {
  "packages/sdk": "packages/sdk/dist/index.js",
  "packages/server": "packages/server/dist/index.js",
  "packages/cli": "packages/cli/dist/bin.js",
  examples: "examples/dist/quickstart/reset-password.js",
};
/**
 * Dated when a `tsc -b` that then succeeded began, one for each set of projects built together:
 * that build covered every input older than it.
 */
const tsStamp = (projects) => `node_modules/.cache/greenlight/tsc-b-${projects.map((p) => p.split("/").at(-1)).join("+")}.stamp`;
/** What the web UI's bundle is made of: its own files, the SDK it bundles, and the locked dependencies. */
const WEB_INPUTS = [
  "packages/web/src",
  "packages/web/index.html",
  "packages/web/vite.config.ts",
  "packages/web/package.json",
  "packages/sdk/dist",
  "package-lock.json",
];
const WEB_OUTPUT = "packages/server/web/index.html";

/**
 * Brings the build up to date. `everything` adds what `npm start` promises beside the command:
 * the web UI the server serves and the README's examples, which the client commands do not
 * need. Exits the process with the failing build's code, after its output (on stderr: stdout
 * belongs to the command that runs next).
 */
export function buildStale({ everything }) {
  const projects = [...PACKAGES, ...(everything ? ["examples"] : [])];
  if (typeScriptStale(projects)) {
    if (!existsSync(join(ROOT, TS_OUTPUTS["packages/cli"])))
      say("building from the TypeScript sources (the first run takes a minute or two)…");
    const started = Date.now();
    const tsc = createRequire(join(ROOT, "package.json")).resolve("typescript/bin/tsc");
    run("tsc -b", process.execPath, [tsc, "-b", ...projects]);
    stamp(join(ROOT, tsStamp(projects)), started);
  }
  if (everything && webStale()) {
    say("building the web UI…");
    run("the web UI's build", process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build", "--silent", "-w", "@greenlight/web"]);
  }
}

/** Whether `tsc -b` may have something to do for these projects. */
export function typeScriptStale(projects, root = ROOT) {
  const built = mtimeOf(join(root, tsStamp(projects)));
  if (built === undefined) return true;
  if (projects.some((project) => !existsSync(join(root, TS_OUTPUTS[project])))) return true;
  const inputs = [...SHARED_TS_INPUTS, ...projects.flatMap((p) => [`${p}/src`, `${p}/tsconfig.json`, `${p}/package.json`])];
  // The examples have no src/: their sources are their own directories.
  if (projects.includes("examples")) inputs.push("examples/quickstart", "examples/agents");
  return inputs.some((input) => newestUnder(join(root, input)) > built);
}

/** Whether the web UI's build is missing, or older than any of its inputs. */
export function webStale(root = ROOT) {
  const output = mtimeOf(join(root, WEB_OUTPUT));
  if (output === undefined) return true;
  return WEB_INPUTS.some((input) => newestUnder(join(root, input)) > output);
}

function newestUnder(path) {
  const own = mtimeOf(path);
  if (own === undefined) return 0;
  if (!statSync(path).isDirectory()) return own;
  let newest = own;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestUnder(join(path, entry)));
  return newest;
}

function mtimeOf(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The stamp, dated when the build began: a file changed while it ran is newer than it. */
function stamp(path, at) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, "");
  utimesSync(path, at / 1000, at / 1000);
}

function run(what, command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ["ignore", process.stderr, process.stderr] });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    say(`${what} failed; fix what it reports above, then run the command again`);
    process.exit(result.status ?? 1);
  }
}

function say(line) {
  process.stderr.write(`greenlight: ${line}\n`);
}
