import { spawn } from "node:child_process";
import { join } from "node:path";
import { CLI } from "../../../server/test/integration/child-server.js";
import { TEST_TOKEN, type TestServer } from "../../../server/test/integration/harness.js";

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  stdin?: string;
  config?: string;
}

/**
 * Runs the real `greenlight` binary, with its config file in `home` and nothing from the
 * environment's Greenlight settings.
 */
export function runGreenlight(home: string, args: string[], options: RunOptions = {}): Promise<Run> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GREENLIGHT_CONFIG: options.config ?? join(home, "config.json"),
    ...options.env,
  };
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c));
  child.stderr.on("data", (c: Buffer) => (stderr += c));
  child.stdin.end(options.stdin ?? "");
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

/** The admin token and this server, without a saved login. */
export function asAdmin(t: TestServer, home: string): RunOptions {
  return { env: { GREENLIGHT_API_URL: t.url, GREENLIGHT_API_TOKEN: TEST_TOKEN }, config: join(home, "none.json") };
}
