import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The packages as npm would publish them: `npm pack` of the built workspace. The SDK's tarball
 * is installed into an app of its own, offline, and imported from there as ESM and with its
 * types; the command's tarball runs without its sources and without building anything.
 */

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const TSC = createRequire(join(ROOT, "package.json")).resolve("typescript/bin/tsc");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "greenlight-pack-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Packed {
  filename: string;
  files: Array<{ path: string }>;
}

function pack(workspace: string): Packed {
  const out = execFileSync("npm", ["pack", "-w", workspace, "--pack-destination", dir, "--json", "--silent"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return (JSON.parse(out) as Packed[])[0]!;
}

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" } });
}

describe("@greenlight/sdk's tarball", () => {
  it("holds the ESM, its types and a README, nothing else of the workspace", () => {
    const paths = pack("@greenlight/sdk").files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["package.json", "README.md", "dist/index.js", "dist/index.d.ts", "dist/approval.js"]));
    expect(paths.filter((p) => !p.startsWith("dist/") && p !== "package.json" && p !== "README.md")).toEqual([]);
  });

  it("installs into an app offline, and imports there as ESM with its types", () => {
    const tarball = join(dir, pack("@greenlight/sdk").filename);
    const app = join(dir, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    npm(["install", "--offline", tarball], app);

    writeFileSync(
      join(app, "main.mjs"),
      `import { approval, GreenlightAPI, ApprovalError } from "@greenlight/sdk";
const client = new GreenlightAPI({ apiToken: "t", baseURL: "http://127.0.0.1:1" });
console.log(typeof approval, client.spaceName, new ApprovalError("denied", "no", undefined, { reason: "why" }).reason);`,
    );
    expect(execFileSync(process.execPath, ["main.mjs"], { cwd: app, encoding: "utf8" })).toBe("function default why\n");

    // Typed from the package's own declarations, without @types/node: a wrong option is refused.
    writeFileSync(
      join(app, "main.ts"),
      `import { approval, type ApprovalError, type Petition } from "@greenlight/sdk";
export const granted: Promise<Petition> = approval({ reason: "r", resources: [{ kind: "action", id: "deploy" }] }, { timeout: 60_000 });
export const why = (err: ApprovalError): string | undefined => err.reason;
// @ts-expect-error: resources is required
export const wrong = approval({ reason: "r" });`,
    );
    const compilerOptions = { noEmit: true, strict: true, target: "es2022", module: "nodenext", lib: ["es2023", "dom"], types: [] };
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["main.ts"] }));
    execFileSync(process.execPath, [TSC, "-p", app], { encoding: "utf8" });
  });
});

describe("the greenlight command's tarball", () => {
  it("holds the launcher, the compiled command and a README, and runs the command without building", () => {
    const packed = pack("greenlight");
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["package.json", "README.md", "bin/greenlight.js", "dist/bin.js"]));
    expect(paths.filter((p) => !/^(dist|bin)\//.test(p) && p !== "package.json" && p !== "README.md")).toEqual([]);

    // Unpacked beside the workspace's dependencies, as an install puts it beside its own.
    const installed = join(dir, "installed");
    mkdirSync(installed);
    execFileSync("tar", ["-xzf", join(dir, packed.filename), "-C", installed]);
    symlinkSync(join(ROOT, "node_modules"), join(installed, "node_modules"));
    const run = execFileSync(process.execPath, [join(installed, "package", "bin", "greenlight.js"), "--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(run).toBe("0.1.0\n");
  });
});
