// Runs every benchmark in turn and prints its figures (npm run bench).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

for (const name of ["petition-throughput.mjs", "waiter-latency.mjs", "policy-evaluation.mjs", "expiry-burst.mjs"]) {
  console.log(`\n# ${name}`);
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(name, import.meta.url))], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
