// Runs every benchmark in turn, prints its figures, and writes the report (npm run bench):
// bench/report/report.md (a table of every figure, with the machine it came from) and
// bench/report/latency.svg (decision → release latency distributions, long-poll against
// polling). BENCH_ONLY=name,name runs some of them.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BENCHMARKS = [
  "petition-throughput.mjs",
  "waiter-scale.mjs",
  "waiter-latency.mjs",
  "policy-evaluation.mjs",
  "explain-under-load.mjs",
  "expiry-burst.mjs",
  "bulk-upload.mjs",
  "audit-export.mjs",
  "replicas.mjs",
];
const only = process.env.BENCH_ONLY?.split(",").map((n) => (n.endsWith(".mjs") ? n : `${n}.mjs`));
const work = mkdtempSync(join(tmpdir(), "greenlight-bench-report-"));
const results = join(work, "results.jsonl");
writeFileSync(results, "");

const started = new Date();
for (const name of BENCHMARKS.filter((n) => !only || only.includes(n))) {
  console.log(`\n# ${name}`);
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(name, import.meta.url))], {
    stdio: "inherit",
    env: { ...process.env, BENCH_RESULTS: results },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const figures = readFileSync(results, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line));
rmSync(work, { recursive: true, force: true });

const reportDir = fileURLToPath(new URL("report/", import.meta.url));
mkdirSync(reportDir, { recursive: true });
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
const lines = [
  "# Benchmark report",
  "",
  `Run ${started.toISOString()} on ${machine}, with \`npm run bench\`. Every server ran in its own process on SQLite (\`synchronous=FULL\`), the load in another.`,
  "",
  "| Figure | Measured | Goal |",
  "|---|---|---|",
  ...figures.map((f) => `| ${f.figure} | ${f.value} | ${f.goal ?? ""} |`),
  "",
];
const series = figures.filter((f) => f.series);
if (series.length > 0) lines.push("![Decision → release latency](latency.svg)", "");
writeFileSync(join(reportDir, "report.md"), `${lines.join("\n")}\n`);
if (series.length > 0) writeFileSync(join(reportDir, "latency.svg"), latencyChart(series));
console.log(`\nWrote ${join(reportDir, "report.md")}${series.length > 0 ? " and latency.svg" : ""}.`);

/** Latency percentiles as lines on a log scale: x is the latency, y the share of waiters released by then. */
function latencyChart(all) {
  const width = 820;
  const height = 420;
  const left = 70;
  const right = 300;
  const top = 30;
  const bottom = 50;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const values = all.flatMap((f) => f.series.map(([, v]) => Math.max(v, 0.1)));
  const min = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const max = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const x = (v) => left + ((Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))) * plotW;
  const y = (p) => top + plotH - (p / 100) * plotH;
  const colours = ["#1b7f3b", "#58b368", "#b3261e", "#e8736c", "#1f5fa8", "#7aa7de", "#8a5a00"];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="18" font-size="14" font-weight="600">Decision → release latency (share of waiters released, by latency)</text>`,
  ];
  for (let decade = min; decade <= max; decade *= 10) {
    const px = x(decade);
    parts.push(`<line x1="${px}" y1="${top}" x2="${px}" y2="${top + plotH}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${px}" y="${top + plotH + 18}" text-anchor="middle">${decade >= 1000 ? `${decade / 1000} s` : `${decade} ms`}</text>`,
    );
  }
  for (const p of [0, 25, 50, 75, 90, 99]) {
    parts.push(`<line x1="${left}" y1="${y(p)}" x2="${left + plotW}" y2="${y(p)}" stroke="#eee"/>`);
    parts.push(`<text x="${left - 8}" y="${y(p) + 4}" text-anchor="end">${p}%</text>`);
  }
  parts.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  all.forEach((f, i) => {
    const colour = colours[i % colours.length];
    const points = f.series.map(([p, v]) => `${x(Math.max(v, 0.1)).toFixed(1)},${y(p).toFixed(1)}`).join(" ");
    parts.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    const ly = top + 10 + i * 34;
    parts.push(`<line x1="${left + plotW + 16}" y1="${ly}" x2="${left + plotW + 40}" y2="${ly}" stroke="${colour}" stroke-width="3"/>`);
    const label = f.figure.replace(/^decision → release, /, "");
    const words = label.split(" ");
    const first = [];
    while (words.length && `${first.join(" ")} ${words[0]}`.length < 38) first.push(words.shift());
    parts.push(`<text x="${left + plotW + 46}" y="${ly + 4}">${escape(first.join(" "))}</text>`);
    if (words.length) parts.push(`<text x="${left + plotW + 46}" y="${ly + 18}">${escape(words.join(" "))}</text>`);
  });
  parts.push(
    `<text x="${left + plotW / 2}" y="${height - 10}" text-anchor="middle">latency, from the approval being sent to the waiter seeing it (log scale)</text>`,
  );
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

function escape(text) {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
