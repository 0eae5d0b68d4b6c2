import type { Resource } from "./types.js";

/** One event of the audit log, in Indent's Event shape, with its place in the space's hash chain. */
export interface AuditEvent {
  seq: number;
  prevHash: string;
  hash: string;
  id: string;
  event: string;
  timestamp: string;
  actor: Resource;
  resources: Resource[];
  reason: string;
  externalId?: string;
  sessionId?: string;
  meta: { space: string; labels: Record<string, string> };
}

export interface AuditQuery {
  /** The actor's email or id. */
  actor?: string;
  /** A resource the event names, by id or email. */
  resource?: string;
  /** An event name, or a prefix ending in `*` (`"access/*"`). */
  event?: string;
  requestId?: string;
  /** RFC 3339: events at or after. */
  startTime?: string;
  /** RFC 3339: events before. */
  endTime?: string;
}

export type AuditProblem = "altered" | "missing" | "reordered" | "broken-link" | "checkpoint-mismatch";

export interface AuditFault {
  seq: number;
  problem: AuditProblem;
  message: string;
}

export interface AuditVerifyReport {
  valid: boolean;
  checkedEvents: number;
  fromSeq: number;
  head: { seq: number; hash: string };
  checkpointsChecked: number;
  latestCheckpointSeq: number | null;
  firstFault?: AuditFault;
}

export interface AuditCheckpoint {
  seq: number;
  hash: string;
  signTime: string;
  kid: string;
  /** A compact JWS (EdDSA, Ed25519) over `{space, spaceId, seq, hash, time}`. */
  jws: string;
}

export interface AuditInput {
  provider: string;
  name: string;
  spaceName: string;
  displayName: string;
  tokenHint: string;
  /** Only when it was just made. */
  token?: string;
  writeUrl: string;
  createTime: string;
  lastWriteTime?: string;
}

/** A public key that verifies checkpoints, as `GET /v1/audit/keys` lists it (an Ed25519 JWK). */
export interface AuditPublicKey {
  kty: string;
  crv?: string;
  x?: string;
  kid?: string;
  alg?: string;
  use?: string;
}

/** Sorted keys, no whitespace: the JSON each audit event's hash is taken over (less `hash`). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

export interface OfflineVerifyOptions {
  /** A checkpoint kept off the server: the log must reach it, with its hash at its position. */
  checkpoint?: AuditCheckpoint;
  /** The keys that verify the checkpoint's signature (`GET /v1/audit/keys`, kept beside the checkpoint). */
  keys?: { keys: AuditPublicKey[] };
}

export interface OfflineVerifyReport {
  valid: boolean;
  checkedEvents: number;
  lastSeq: number;
  lastHash: string;
  firstFault?: AuditFault;
}

/**
 * Checks an exported audit log (`audit:export`, JSONL, oldest first) without trusting the
 * server: each line's hash is recomputed, each must follow the one before, and, given a
 * checkpoint (and the keys that signed it), the log must reach the checkpoint with the same
 * hash. Names the first fault by position.
 *
 * @example
 * const lines = (await readFile("audit.jsonl", "utf8")).split("\n");
 * const report = await verifyAuditExport(lines, { checkpoint, keys });
 * if (!report.valid) console.error(report.firstFault);
 */
export async function verifyAuditExport(
  lines: Iterable<string> | AsyncIterable<string>,
  options: OfflineVerifyOptions = {},
): Promise<OfflineVerifyReport> {
  const { checkpoint } = options;
  if (checkpoint && options.keys) await checkCheckpointSignature(checkpoint, options.keys);
  let prevHash: string | undefined;
  let expectedSeq: number | undefined;
  let checked = 0;
  const fail = (seq: number, problem: AuditProblem, message: string): OfflineVerifyReport => ({
    valid: false,
    checkedEvents: checked,
    lastSeq: (expectedSeq ?? 1) - 1,
    lastHash: prevHash ?? "",
    firstFault: { seq, problem, message },
  });
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
    expectedSeq ??= body.seq;
    prevHash ??= body.seq === 1 ? "0".repeat(64) : body.prevHash;
    if (body.seq > expectedSeq) return fail(expectedSeq, "missing", `event ${expectedSeq} is missing`);
    if (body.seq < expectedSeq) return fail(expectedSeq, "reordered", `event ${body.seq} appears after event ${expectedSeq - 1}`);
    if ((await sha256Hex(canonicalJson(body))) !== hash) return fail(body.seq, "altered", `event ${body.seq} does not match its hash`);
    if (body.prevHash !== prevHash) return fail(body.seq, "broken-link", `event ${body.seq} does not follow event ${body.seq - 1}`);
    if (checkpoint && body.seq === checkpoint.seq && hash !== checkpoint.hash)
      return fail(body.seq, "checkpoint-mismatch", `event ${body.seq} differs from the checkpoint`);
    prevHash = hash;
    expectedSeq = body.seq + 1;
    checked += 1;
  }
  const lastSeq = (expectedSeq ?? 1) - 1;
  if (checkpoint && lastSeq < checkpoint.seq)
    return fail(lastSeq + 1, "missing", `the log ends at event ${lastSeq} but the checkpoint is at event ${checkpoint.seq}`);
  return { valid: true, checkedEvents: checked, lastSeq, lastHash: prevHash ?? "" };
}

/** Throws unless `checkpoint.jws` is signed by one of `keys` and says what the checkpoint says. */
async function checkCheckpointSignature(checkpoint: AuditCheckpoint, keys: { keys: AuditPublicKey[] }): Promise<void> {
  const [header64, payload64, signature64] = checkpoint.jws.split(".");
  if (!header64 || !payload64 || !signature64) throw new Error("the checkpoint's jws is not a compact JWS");
  const header = JSON.parse(fromBase64Url(header64, "text")) as { alg?: string; kid?: string };
  const jwk = keys.keys.find((k) => k.kid === header.kid);
  if (header.alg !== "EdDSA" || !jwk) throw new Error(`no key ${header.kid ?? "(none)"} among the keys given, or not EdDSA`);
  const key = await crypto.subtle.importKey("jwk", { kty: jwk.kty, crv: jwk.crv ?? "", x: jwk.x ?? "" }, { name: "Ed25519" }, false, [
    "verify",
  ]);
  const signed = new TextEncoder().encode(`${header64}.${payload64}`);
  if (!(await crypto.subtle.verify({ name: "Ed25519" }, key, fromBase64Url(signature64, "bytes"), signed)))
    throw new Error("the checkpoint's signature does not verify");
  const claims = JSON.parse(fromBase64Url(payload64, "text")) as { seq?: number; hash?: string };
  if (claims.seq !== checkpoint.seq || claims.hash !== checkpoint.hash)
    throw new Error("the checkpoint's signed claims differ from its fields");
}

function fromBase64Url(text: string, as: "text"): string;
function fromBase64Url(text: string, as: "bytes"): Uint8Array;
function fromBase64Url(text: string, as: "text" | "bytes"): string | Uint8Array {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/") + "===".slice((text.length + 3) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return as === "text" ? new TextDecoder().decode(bytes) : bytes;
}
