// Builds, in the repository, only what is stale: the TypeScript packages (and the examples)
// through `tsc -b` (incremental: it checks and returns in about a second when nothing changed),
// and the web UI only when its build is missing or older than what it is built from, since a
// Vite build takes ten seconds or more every time it runs. The `greenlight` launcher and `npm start` call it, so
// a command run right after `npm ci`, or after a `git pull`, runs what the sources say.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACKAGES = ["packages/sdk", "packages/server", "packages/cli"];
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
 * need. Exits the process with the compiler's code when a
 * build fails, after its output (on stderr: stdout belongs to the command that runs next).
 */
export function buildStale({ everything }) {
  if (!existsSync(join(ROOT, "packages/cli/dist/bin.js")))
    say("building from the TypeScript sources (the first run takes a minute or two)…");
  const tsc = createRequire(join(ROOT, "package.json")).resolve("typescript/bin/tsc");
  run("tsc -b", process.execPath, [tsc, "-b", ...PACKAGES, ...(everything ? ["examples"] : [])]);
  if (everything && webStale()) {
    say("building the web UI…");
    run("the web UI's build", process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build", "--silent", "-w", "@greenlight/web"]);
  }
}

/** Whether the web UI's build is missing, or older than any of its inputs. */
export function webStale() {
  const output = mtimeOf(join(ROOT, WEB_OUTPUT));
  if (output === undefined) return true;
  return WEB_INPUTS.some((input) => newestUnder(join(ROOT, input)) > output);
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
