import { createHash } from "node:crypto";
import type { Resource } from "./resource.js";

/**
 * The audit log: one hash chain per space of events in Indent's Event shape
 * (`indent.audit.v1.Event`: event, actor, resources, reason, timestamp, meta), each committing
 * to the one before it. An event's `hash` is the SHA-256 of the canonical JSON of everything
 * else in it, `seq` and `prevHash` included, so a change to any field, a deleted or reordered
 * event, or a cut-off tail shows up when the chain is recomputed. The exported line is exactly
 * what was hashed plus `hash`: anyone can check an export without this code.
 */

/** The `prevHash` of a chain's first event. */
export const GENESIS_HASH = "0".repeat(64);

/** Labels Greenlight sets on the events it writes. */
export const AUDIT_REQUEST_LABEL = "greenlight.dev/request-id";
export const AUDIT_TOKEN_LABEL = "greenlight.dev/token";
export const AUDIT_INPUT_LABEL = "greenlight.dev/input";

/** An event before it joins the chain. */
export interface AuditEntry {
  id: string;
  event: string;
  actor: Resource;
  resources: Resource[];
  reason: string;
  timestamp: number;
  labels: Record<string, string>;
  requestId: string;
  /** For events written by applications through an input: their own ids. */
  externalId?: string;
  sessionId?: string;
}

/** An event as it is stored, exported and hashed (less `hash` itself). */
export interface AuditBody {
  seq: number;
  prevHash: string;
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

export interface AuditRecord extends AuditBody {
  hash: string;
}

export function auditBody(entry: AuditEntry, space: string, seq: number, prevHash: string): AuditBody {
  const body: AuditBody = {
    seq,
    prevHash,
    id: entry.id,
    event: entry.event,
    timestamp: new Date(entry.timestamp).toISOString(),
    actor: entry.actor,
    resources: entry.resources,
    reason: entry.reason,
    meta: { space, labels: { ...entry.labels, [AUDIT_REQUEST_LABEL]: entry.requestId } },
  };
  if (entry.externalId !== undefined) body.externalId = entry.externalId;
  if (entry.sessionId !== undefined) body.sessionId = entry.sessionId;
  return body;
}

/**
 * JSON with object keys sorted at every level and no whitespace (RFC 8785's shape for the
 * values events hold: strings, integers, booleans, arrays, objects). Undefined members are
 * left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** The hash of an event: SHA-256 (hex) of its canonical JSON without `hash`. */
export function hashAuditText(canonicalBody: string): string {
  return createHash("sha256").update(canonicalBody).digest("hex");
}

/** What verification found wrong first, and where. */
export type ChainProblem =
  /** The event's content does not match its hash, or its columns do not match its content. */
  | "altered"
  /** An event is missing: the sequence skips, or the log ends before the chain's head. */
  | "missing"
  /** An event sits at another event's position. */
  | "reordered"
  /** The event's hash is its own, but it does not follow the one before it. */
  | "broken-link"
  /** The log does not match a signed checkpoint. */
  | "checkpoint-mismatch";

export interface ChainFault {
  seq: number;
  problem: ChainProblem;
  message: string;
}

/** The position and hash the chain must reach, from the chain's head or from a signed checkpoint. */
export interface ChainMark {
  seq: number;
  hash: string;
}

/** One stored event as verification sees it: the columns kept beside its body, and the body. */
export interface StoredAuditRow {
  seq: number;
  hash: string;
  prevHash: string;
  event: string;
  body: string;
}

/**
 * Walks a chain in seq order and names the first fault. It is fed rows one at a time so a
 * chain of any length is checked in constant memory.
 */
export class ChainVerifier {
  private expectedSeq: number;
  private prevHash: string;
  private fault: ChainFault | undefined;
  private readonly marks: Map<number, string>;
  checked = 0;

  constructor(base: { seq: number; prevHash: string }, marks: ChainMark[] = []) {
    this.expectedSeq = base.seq;
    this.prevHash = base.prevHash;
    this.marks = new Map(marks.map((m) => [m.seq, m.hash]));
  }

  get firstFault(): ChainFault | undefined {
    return this.fault;
  }

  /** Returns false once a fault is found: there is no point reading further. */
  push(row: StoredAuditRow): boolean {
    if (this.fault) return false;
    const seq = this.expectedSeq;
    if (row.seq > seq) return this.fail(seq, "missing", `event ${seq} is missing: the log goes from ${seq - 1} to ${row.seq}`);
    if (row.seq < seq) return this.fail(seq, "reordered", `event ${row.seq} appears again after event ${seq - 1}`);
    let body: AuditBody;
    try {
      body = JSON.parse(row.body) as AuditBody;
    } catch {
      return this.fail(seq, "altered", `event ${seq} is not valid JSON`);
    }
    if (hashAuditText(row.body) !== row.hash || canonicalJson(body) !== row.body)
      return this.fail(seq, "altered", `event ${seq} does not match its hash`);
    if (body.seq !== seq) return this.fail(seq, "reordered", `the event at position ${seq} was written as event ${body.seq}`);
    if (body.event !== row.event || body.prevHash !== row.prevHash)
      return this.fail(seq, "altered", `event ${seq}'s indexed columns do not match its content`);
    if (body.prevHash !== this.prevHash)
      return this.fail(seq, "broken-link", `event ${seq} does not follow event ${seq - 1} (its prevHash is not that event's hash)`);
    const mark = this.marks.get(seq);
    if (mark !== undefined && mark !== row.hash)
      return this.fail(seq, "checkpoint-mismatch", `event ${seq} differs from the signed checkpoint at that position`);
    this.prevHash = row.hash;
    this.expectedSeq = seq + 1;
    this.checked += 1;
    return true;
  }

  /** Called after the last row: the chain must reach `head` (and every checkpoint), or its tail is missing. */
  finish(head: ChainMark): ChainFault | undefined {
    if (this.fault) return this.fault;
    const last = this.expectedSeq - 1;
    const furthest = Math.max(head.seq, ...this.marks.keys());
    if (last < furthest) {
      this.fail(last + 1, "missing", `the log ends at event ${last} but the chain reached event ${furthest}`);
      return this.fault;
    }
    if (last === head.seq && head.seq > 0 && head.hash !== this.prevHash)
      this.fail(last, "altered", `event ${last} is not the chain's recorded head`);
    return this.fault;
  }

  private fail(seq: number, problem: ChainProblem, message: string): false {
    this.fault = { seq, problem, message };
    return false;
  }
}
