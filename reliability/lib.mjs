// Shared pieces of the reliability properties: a real `greenlight serve` in its own process,
// that can be killed with SIGKILL and started again on the same data, and a keep-alive client.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";

export const TOKEN = "reliability-admin-token-0123456789";
const CLI = fileURLToPath(new URL("../packages/cli/dist/bin.js", import.meta.url));

export function tempDir() {
  return mkdtempSync(join(tmpdir(), "greenlight-reliability-"));
}

/** `greenlight serve` on `dataDir`, answering on a free port once it says where. */
export async function serve(dataDir, env = {}) {
  const child = spawn(process.execPath, [CLI, "serve"], {
    env: {
      ...process.env,
      GREENLIGHT_PORT: "0",
      GREENLIGHT_DATA_DIR: dataDir,
      GREENLIGHT_ADMIN_TOKEN: TOKEN,
      GREENLIGHT_LOG_LEVEL: "error",
      GREENLIGHT_RATE_LIMIT: "0",
      GREENLIGHT_AUTH_FAILURE_LIMIT: "1000000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr.on("data", (chunk) => (output += chunk));
  const url = await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code, signal) => reject(new Error(`server exited ${code ?? signal}: ${output.slice(-2000)}`)));
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return {
    url,
    pid: child.pid,
    child,
    exited,
    output: () => output,
    kill: async (signal = "SIGKILL") => {
      child.kill(signal);
      return exited;
    },
  };
}

/** A keep-alive client: `request` answers `{status, body}` and never throws for an HTTP status. */
export function client(url, connections = 64) {
  const pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 120_000, bodyTimeout: 120_000 });
  return {
    async request(method, path, body, headers = {}) {
      const raw = typeof body === "string" || Buffer.isBuffer(body);
      const res = await pool.request({
        method,
        path,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
      });
      const text = await res.body.text();
      let parsed;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: res.statusCode, body: parsed, headers: res.headers };
    },
    close: () => pool.close(),
    destroy: () => pool.destroy(),
  };
}

/** Every page of a list. */
export async function listAll(api, path, key) {
  const all = [];
  let token = "";
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page = await api.request("GET", `${path}${sep}pageSize=100${token ? `&pageToken=${token}` : ""}`);
    if (page.status !== 200) throw new Error(`GET ${path}: ${page.status} ${JSON.stringify(page.body).slice(0, 200)}`);
    all.push(...page.body[key]);
    token = page.body.nextPageToken;
  } while (token);
  return all;
}

export function rssMiB(pid) {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
}

/** Prints the property's one line, `PROP <id> <name>: <figures> => PASS|FAIL`, and sets the exit code. */
export function report(id, name, figures, pass) {
  console.log(`PROP ${id} ${name}: ${figures} => ${pass ? "PASS" : "FAIL"}`);
  if (!pass) process.exitCode = 1;
}

export const SPACE = "/v1/spaces/default";
