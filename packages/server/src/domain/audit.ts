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
/** Labels under this prefix are the server's: only it writes them, so they can be believed. */
export const SERVER_LABEL_PREFIX = "greenlight.dev/";
/** Kinds under this prefix (lower-cased) are the server's own actors and objects (`greenlight.v1.Admin`, `greenlight.v1.System`…). */
export const SERVER_KIND_PREFIX = "greenlight.";

/**
 * Who wrote an event into the chain, and when the server received it. The server sets it on
 * every event it appends and it is hashed with the rest, so nothing that writes through an
 * input can claim to be the server, or change when its event arrived, without breaking the
 * chain. `timestamp` is when the event says it happened; for an input's event that is the
 * application's word, `receiveTime` the server's.
 */
export type AuditProvenance =
  | { writer: "server"; receiveTime: string }
  /** Written by an application through an input (`provider/name`). */
  | { writer: "input"; input: string; receiveTime: string };

export type AuditWriter = AuditProvenance["writer"];

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
  /** For events written by applications through an input: the input (`provider/name`), and their own ids. */
  input?: string;
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
  /** Absent only from events written before provenance was recorded (see `provenanceOf`). */
  provenance?: AuditProvenance;
}

export interface AuditRecord extends AuditBody {
  hash: string;
}

/** The event as the chain keeps it; `receivedAt` is when the server appends it. */
export function auditBody(entry: AuditEntry, space: string, seq: number, prevHash: string, receivedAt: number): AuditBody {
  const receiveTime = new Date(receivedAt).toISOString();
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
    provenance: entry.input === undefined ? { writer: "server", receiveTime } : { writer: "input", input: entry.input, receiveTime },
  };
  if (entry.externalId !== undefined) body.externalId = entry.externalId;
  if (entry.sessionId !== undefined) body.sessionId = entry.sessionId;
  return body;
}

/**
 * The provenance of a stored event. Events written before it was recorded have none in their
 * body; of those, the ones an input wrote carry its label, which inputs could never set.
 */
export function provenanceOf(body: AuditBody): AuditProvenance {
  if (body.provenance) return body.provenance;
  const input = body.meta.labels[AUDIT_INPUT_LABEL];
  return input === undefined ? { writer: "server", receiveTime: body.timestamp } : { writer: "input", input, receiveTime: body.timestamp };
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
  /** The log does not match a signed checkpoint, or a checkpoint's signature is not the server's. */
  | "checkpoint-mismatch"
  /** A signed checkpoint is gone: the sequence of checkpoints has a gap, or one seen before is missing. */
  | "checkpoint-missing"
  /** An event has waited longer than checkpoints may take without one covering it. */
  | "uncovered";

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
  writer: AuditWriter;
  receivedAt: number;
  body: string;
}

/**
 * What a verifier demands of events no checkpoint covers yet: none after `afterSeq` (the
 * newest checkpoint's position) may have been received before `receivedBefore`.
 */
export interface CoverageRule {
  afterSeq: number;
  receivedBefore: number;
}

/** The event that records a removal by retention, and the labels it carries. */
export const PRUNED_EVENT = "audit/pruned";
export const PRUNED_BASE_LABEL = "greenlight.dev/audit/base-seq";

/**
 * Walks a chain in seq order and names the first fault. It is fed rows one at a time so a
 * chain of any length is checked in constant memory.
 */
export class ChainVerifier {
  private expectedSeq: number;
  private prevHash: string;
  private fault: ChainFault | undefined;
  private readonly marks: Map<number, string>;
  private readonly baseSeq: number;
  /** Where the newest record of pruning seen says the chain now starts. */
  private prunedTo: number | undefined;
  checked = 0;

  constructor(
    base: { seq: number; prevHash: string },
    marks: ChainMark[] = [],
    private readonly coverage?: CoverageRule,
  ) {
    this.expectedSeq = base.seq;
    this.baseSeq = base.seq;
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
    const provenance = provenanceOf(body);
    if (
      body.event !== row.event ||
      body.prevHash !== row.prevHash ||
      provenance.writer !== row.writer ||
      (body.provenance !== undefined && Date.parse(body.provenance.receiveTime) !== row.receivedAt)
    )
      return this.fail(seq, "altered", `event ${seq}'s indexed columns do not match its content`);
    if (body.prevHash !== this.prevHash)
      return this.fail(seq, "broken-link", `event ${seq} does not follow event ${seq - 1} (its prevHash is not that event's hash)`);
    const mark = this.marks.get(seq);
    if (mark !== undefined && mark !== row.hash)
      return this.fail(seq, "checkpoint-mismatch", `event ${seq} differs from the signed checkpoint at that position`);
    if (this.coverage && seq > this.coverage.afterSeq && row.receivedAt < this.coverage.receivedBefore)
      return this.fail(
        seq,
        "uncovered",
        `event ${seq} was received at ${new Date(row.receivedAt).toISOString()} and no signed checkpoint covers it: checkpoints were deleted, or the server has not signed any for too long`,
      );
    if (body.event === PRUNED_EVENT && provenance.writer === "server") {
      const to = Number(body.meta.labels[PRUNED_BASE_LABEL]);
      if (Number.isInteger(to)) this.prunedTo = to;
    }
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
    // Retention is the only removal from the start, and it records where the chain then starts.
    else if (this.baseSeq > 1 && this.prunedTo !== this.baseSeq)
      this.fail(this.baseSeq - 1, "missing", `events before ${this.baseSeq} are gone without a record of retention removing them`);
    return this.fault;
  }

  private fail(seq: number, problem: ChainProblem, message: string): false {
    this.fault = { seq, problem, message };
    return false;
  }
}
