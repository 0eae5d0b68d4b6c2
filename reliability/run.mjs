// The reliability properties (npm run test:reliability): each runs in its own process against
// real servers and prints one line, `PROP <id> <name>: <figures> => PASS|FAIL`. Exits 1 if any
// property failed. RELIABILITY_ONLY=crash,races runs some of them.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const PROPERTIES = ["crash", "races", "hostile-input", "isolation", "replicas"];
const only = process.env.RELIABILITY_ONLY?.split(",");
let failed = 0;
for (const name of PROPERTIES.filter((p) => !only || only.includes(p))) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(`${name}.mjs`, import.meta.url))], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20,
  });
  const lines = result.stdout.split("\n").filter((line) => line.startsWith("PROP "));
  for (const line of lines) console.log(line);
  if (result.status !== 0 || lines.length === 0 || lines.some((line) => line.endsWith("=> FAIL"))) {
    failed += 1;
    if (lines.length === 0) console.log(`PROP ${name}: no result (exit ${result.status ?? result.signal}) => FAIL`);
    process.stderr.write(
      result.stdout
        .split("\n")
        .filter((line) => !line.startsWith("PROP "))
        .join("\n"),
    );
  }
  process.stderr.write(`  (${name}: ${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
}
process.exit(failed === 0 ? 0 : 1);
