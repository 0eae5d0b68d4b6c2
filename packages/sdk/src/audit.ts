import { checkCheckpoints, keptCheckpointFault } from "./audit-checkpoints.js";
import { sha256Hex } from "./digest.js";
import type { AuditCheckpoint, AuditEvent, AuditFault, AuditProblem, AuditPublicKey } from "./audit-types.js";

/** Sorted keys, no whitespace: the JSON each audit event's hash is taken over (less `hash`). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export interface OfflineVerifyOptions {
  /**
   * A checkpoint kept off the server (from an earlier check, or an `audit.checkpoint`
   * delivery): the log must reach it with its hash at its position, and the server's
   * `checkpoints`, when given, must still hold it.
   */
  checkpoint?: AuditCheckpoint;
  /**
   * The server's checkpoints (`audit.checkpoints()`, every page, in any order): each must be
   * signed by one of `keys`, follow the one before it from #1, and match the log where the
   * log holds its position.
   */
  checkpoints?: AuditCheckpoint[];
  /** The keys that verify the checkpoints (`GET /v1/audit/keys`, kept beside the checkpoint). */
  keys?: { keys: AuditPublicKey[] };
  /**
   * With `checkpoints`: the longest an event may wait for one to cover it (the list's
   * `maxCheckpointDelay`, in milliseconds). Events received longer ago than that must be
   * covered by the newest checkpoint, so deleting the newest checkpoints, or all, is caught.
   */
  maxCheckpointDelayMs?: number;
  /** Now, in milliseconds since the epoch; the clock by default. */
  now?: number;
}

export interface OfflineVerifyReport {
  valid: boolean;
  checkedEvents: number;
  lastSeq: number;
  lastHash: string;
  /** How many of the server's checkpoints were checked, and the newest of them: keep it for the next check. */
  checkpointsChecked: number;
  latestCheckpoint?: AuditCheckpoint;
  firstFault?: AuditFault;
}

const PRUNED_BASE_LABEL = "greenlight.dev/audit/base-seq";

/**
 * Checks an exported audit log (`audit:export`, JSONL, oldest first) without trusting the
 * server: each line's hash is recomputed and must follow the one before; given checkpoints
 * (and the keys that signed them), they must form an unbroken sequence that still holds the
 * checkpoint kept from before, match the log, and cover every event older than the delay
 * checkpoints may take; and the log must reach the newest. Names the first fault by position.
 *
 * @example
 * const { checkpoints, maxCheckpointDelay } = await client.audit.checkpoints({ pageSize: 100 });
 * const report = await verifyAuditExport(client.audit.export(), { checkpoint: kept, checkpoints, keys, maxCheckpointDelayMs: 11 * 60_000 });
 * if (report.valid) kept = report.latestCheckpoint;
 */
export async function verifyAuditExport(
  lines: Iterable<string> | AsyncIterable<string>,
  options: OfflineVerifyOptions = {},
): Promise<OfflineVerifyReport> {
  // Start reading at once: a readline interface emits lines whether or not anyone listens,
  // and the checkpoints' signatures are checked before the first line is looked at.
  const reading = startReading(lines);
  const { checkpoint: kept, keys } = options;
  const listed = options.checkpoints ? await checkCheckpoints(options.checkpoints, keys) : undefined;
  const keptProblem = kept ? await keptCheckpointFault(kept, keys, options.checkpoints) : undefined;
  const marks = new Map(listed?.marks ?? []);
  if (kept) marks.set(kept.seq, kept.hash);
  const coverage =
    listed && options.maxCheckpointDelayMs !== undefined
      ? { afterSeq: listed.latest?.seq ?? 0, receivedBefore: (options.now ?? Date.now()) - options.maxCheckpointDelayMs }
      : undefined;
  const walked = await walkExport(reading, marks, coverage);
  const reach = Math.max(kept?.seq ?? 0, listed?.latest?.seq ?? 0);
  const faults = [walked.fault, listed?.fault, keptProblem];
  if (!walked.fault && walked.lastSeq < reach)
    faults.push({
      seq: walked.lastSeq + 1,
      problem: "missing",
      message: `the log ends at event ${walked.lastSeq} but a checkpoint is at event ${reach}`,
    });
  if (!walked.fault && walked.firstSeq > 1 && walked.prunedTo !== walked.firstSeq)
    faults.push({
      seq: walked.firstSeq - 1,
      problem: "missing",
      message: `events before ${walked.firstSeq} are gone without a record of retention removing them`,
    });
  const firstFault = faults.filter((f): f is AuditFault => f !== undefined).sort((a, b) => a.seq - b.seq)[0];
  const report: OfflineVerifyReport = {
    valid: firstFault === undefined,
    checkedEvents: walked.checked,
    lastSeq: walked.lastSeq,
    lastHash: walked.lastHash,
    checkpointsChecked: listed?.marks.size ?? 0,
  };
  if (listed?.latest) report.latestCheckpoint = listed.latest;
  if (firstFault) report.firstFault = firstFault;
  return report;
}

function startReading(lines: Iterable<string> | AsyncIterable<string>): AsyncIterable<string> {
  const iterator: AsyncIterator<string> | Iterator<string> =
    Symbol.asyncIterator in lines ? lines[Symbol.asyncIterator]() : lines[Symbol.iterator]();
  return {
    [Symbol.asyncIterator]: () => ({
      next: async () => iterator.next(),
      return: async () => (await iterator.return?.()) ?? { done: true, value: undefined },
    }),
  };
}

interface Walked {
  checked: number;
  firstSeq: number;
  lastSeq: number;
  lastHash: string;
  /** Where the newest record of pruning by the server says the log starts. */
  prunedTo: number | undefined;
  fault?: AuditFault;
}

/** Reads the export line by line, stopping at the first fault. */
async function walkExport(
  lines: AsyncIterable<string>,
  marks: Map<number, string>,
  coverage: { afterSeq: number; receivedBefore: number } | undefined,
): Promise<Walked> {
  const walked: Walked = { checked: 0, firstSeq: 1, lastSeq: 0, lastHash: "", prunedTo: undefined };
  let prevHash: string | undefined;
  let expectedSeq: number | undefined;
  const fail = (seq: number, problem: AuditProblem, message: string): Walked => ({ ...walked, fault: { seq, problem, message } });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    let record: AuditEvent;
    try {
      record = JSON.parse(line) as AuditEvent;
    } catch {
      return fail(expectedSeq ?? 0, "altered", `the line after event ${(expectedSeq ?? 1) - 1} is not JSON`);
    }
    const { hash, ...body } = record;
    // An export starts where the server's log starts (1, or the first event kept after retention).
    if (expectedSeq === undefined) {
      expectedSeq = walked.firstSeq = body.seq;
      prevHash = body.seq === 1 ? "0".repeat(64) : body.prevHash;
    }
    if (body.seq > expectedSeq) return fail(expectedSeq, "missing", `event ${expectedSeq} is missing`);
    if (body.seq < expectedSeq) return fail(expectedSeq, "reordered", `event ${body.seq} appears after event ${expectedSeq - 1}`);
    if ((await sha256Hex(canonicalJson(body))) !== hash) return fail(body.seq, "altered", `event ${body.seq} does not match its hash`);
    if (body.prevHash !== prevHash) return fail(body.seq, "broken-link", `event ${body.seq} does not follow event ${body.seq - 1}`);
    const mark = marks.get(body.seq);
    if (mark !== undefined && mark !== hash) return fail(body.seq, "checkpoint-mismatch", `event ${body.seq} differs from the checkpoint`);
    // Events written before provenance was recorded were received when they say they happened.
    const received = Date.parse(body.provenance?.receiveTime ?? body.timestamp);
    if (coverage && body.seq > coverage.afterSeq && received < coverage.receivedBefore)
      return fail(
        body.seq,
        "uncovered",
        `event ${body.seq} was received at ${new Date(received).toISOString()} and no signed checkpoint covers it`,
      );
    if (body.event === "audit/pruned" && body.provenance?.writer === "server") {
      const to = Number(body.meta.labels[PRUNED_BASE_LABEL]);
      if (Number.isInteger(to)) walked.prunedTo = to;
    }
    prevHash = hash;
    expectedSeq = body.seq + 1;
    walked.checked += 1;
    walked.lastSeq = body.seq;
    walked.lastHash = hash;
  }
  return walked;
}
