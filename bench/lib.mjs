// Shared pieces of the benchmarks: a server in its own process, and a keep-alive HTTP client.
import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";

export const TOKEN = "bench-admin-token-0123456789";

/**
 * Records a figure for the report `npm run bench` writes (bench/report/): one JSON line per
 * figure in the file BENCH_RESULTS names. Without it (a benchmark run on its own) it does
 * nothing; benchmarks print their figures either way.
 */
export function record(figure) {
  if (!process.env.BENCH_RESULTS) return;
  appendFileSync(process.env.BENCH_RESULTS, `${JSON.stringify(figure)}\n`);
}

/** Latency percentiles for the report's chart. */
export function distribution(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return [1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9].map((p) => [p, percentile(sorted, p)]);
}

/** The resident memory of a process, in MiB (Linux). */
export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}
const CLI = fileURLToPath(new URL("../packages/cli/dist/bin.js", import.meta.url));

export function tempDir() {
  return mkdtempSync(join(tmpdir(), "greenlight-bench-"));
}

/**
 * `greenlight serve` on a fresh data directory, in its own process (its own core). Node flags
 * for the server go in BENCH_SERVER_ARGS, such as "--cpu-prof --cpu-prof-dir=/tmp/prof".
 */
export async function startServer(env = {}) {
  const dataDir = tempDir();
  const nodeFlags = (process.env.BENCH_SERVER_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeFlags, CLI, "serve"], {
    env: {
      ...process.env,
      GREENLIGHT_PORT: "0",
      GREENLIGHT_DATA_DIR: dataDir,
      GREENLIGHT_ADMIN_TOKEN: TOKEN,
      GREENLIGHT_LOG_LEVEL: "warn",
      GREENLIGHT_RATE_LIMIT: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  const url = await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
  return {
    url,
    pid: child.pid,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function client(url, connections = 64) {
  const pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 120_000, bodyTimeout: 0, headersTimeout: 0 });
  return {
    async request(method, path, body) {
      const res = await pool.request({
        method,
        path,
        headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.body.text();
      if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
      return JSON.parse(text);
    },
    close: () => pool.close(),
  };
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const petitionFor = (i) => ({
  petition: {
    reason: "benchmark",
    petitioners: [{ kind: "user", email: `bench-${i}@example.com` }],
    resources: [{ kind: "okta.v1.Group", id: "engineering" }],
  },
});

export const approve = { claim: { event: "access/approve", reason: "ok", meta: { labels: { "indent.com/time/duration": "1h" } } } };
