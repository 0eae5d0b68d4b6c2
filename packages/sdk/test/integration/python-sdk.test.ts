import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_TOKEN, type TestServer } from "../../../server/test/integration/harness.js";

/**
 * The Python SDK (python/) against a real server: its pytest suite, importing the package from
 * python/src, and an offline install of the package as pip makes it. The suite may ask how
 * many wait on a petition of `default` (`GET <GREENLIGHT_TEST_WAITERS_URL>?petition=<name>`),
 * to know a waiter holds its long-poll rather than guessing how long that takes.
 */

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const PYTHON = "python3";
const hasPytest = spawnSync(PYTHON, ["-m", "pytest", "--version"], { encoding: "utf8" }).status === 0;
if (!hasPytest) console.warn("python-sdk.test.ts: skipped, `python3 -m pytest` is not available (pip install pytest)");

interface Run {
  code: number | null;
  output: string;
}

/** Runs a command without blocking the event loop: the server under test lives in this process. */
function run(args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 150_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { cwd: ROOT, env });
    let output = "";
    // A hung run still shows what it printed: it is stopped before the test's own timeout.
    const timer = setTimeout(() => {
      output += `\n(stopped after ${timeoutMs / 1000} s)`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The environment without the variables a developer's shell may point at another server. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: "1", ...extra };
  for (const name of ["GREENLIGHT_API_URL", "GREENLIGHT_API_TOKEN", "GREENLIGHT_SPACE", "INDENT_API_TOKEN", "INDENT_SPACE"]) {
    delete env[name];
  }
  return env;
}

describe.skipIf(!hasPytest)("the Python SDK", () => {
  let t: TestServer;
  let waiters: Server;
  beforeAll(async () => {
    t = await startTestServer();
    const space = (await t.server.services.store.read.spaces.findByName("default"))!.id;
    waiters = createServer((request, response) => {
      const petition = new URL(request.url ?? "/", "http://localhost").searchParams.get("petition") ?? "";
      response.end(JSON.stringify({ count: t.server.services.notifier.watchersOf(space, petition) }));
    });
    await new Promise<void>((resolve) => waiters.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => waiters?.close(resolve));
    await t.close();
  });

  it("passes its pytest suite against a real server", async () => {
    const result = await run(
      ["-m", "pytest", "python/tests", "-q", "-p", "no:cacheprovider", "-s"],
      cleanEnv({
        GREENLIGHT_TEST_URL: t.url,
        GREENLIGHT_TEST_ADMIN_TOKEN: TEST_TOKEN,
        GREENLIGHT_TEST_WAITERS_URL: `http://127.0.0.1:${(waiters.address() as AddressInfo).port}/`,
      }),
    );
    const released = /released [\d.]+ ms after the approval was sent[^\n]*/.exec(result.output);
    if (released) console.log(`Python approval(): ${released[0]}`);
    if (result.code !== 0) console.log(result.output);
    expect(result.code).toBe(0);
    // Every test ran against the server: none skipped for want of it.
    expect(result.output).toMatch(/\b\d+ passed\b/);
    expect(result.output).not.toMatch(/\bskipped\b/);
  }, 180_000);

  it("installs offline with pip, with nothing to download", async () => {
    const target = mkdtempSync(join(tmpdir(), "greenlight-python-"));
    try {
      const install = await run(
        ["-m", "pip", "install", "--no-index", "--no-deps", "--disable-pip-version-check", "--target", target, "./python"],
        cleanEnv({}),
      );
      if (install.code !== 0) console.log(install.output);
      expect(install.code).toBe(0);
      for (const file of ["greenlight/__init__.py", "greenlight/py.typed", "approvals/__init__.py", "indentapi/__init__.py"]) {
        expect(existsSync(join(target, file)), file).toBe(true);
      }
      const imported = await run(
        ["-c", "import greenlight, approvals, indentapi; print(greenlight.__version__, approvals.approval is greenlight.approval)"],
        cleanEnv({ PYTHONPATH: target }),
      );
      expect(imported.output.trim()).toBe("0.1.0 True");
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
  }, 120_000);
});
