import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TEST_TOKEN, testDatabaseEnv } from "./harness.js";

/** The built `greenlight` command; `npm test` builds before it runs the tests. */
export const CLI = fileURLToPath(new URL("../../../cli/dist/bin.js", import.meta.url));

export interface ChildServer {
  process: ChildProcess;
  url: string;
  output: () => string;
}

/** Runs `greenlight serve` in its own process and waits until it listens. */
export async function spawnServer(dataDir: string, env: Record<string, string> = {}, args: string[] = []): Promise<ChildServer> {
  const databaseEnv = await testDatabaseEnv(dataDir);
  const child = spawn(process.execPath, [CLI, "serve", ...args], {
    env: {
      ...process.env,
      ...databaseEnv,
      GREENLIGHT_PORT: "0",
      GREENLIGHT_DATA_DIR: dataDir,
      GREENLIGHT_ADMIN_TOKEN: TEST_TOKEN,
      GREENLIGHT_LOG_LEVEL: "warn",
      GREENLIGHT_RATE_LIMIT: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return { process: child, url, output: () => output };
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}
