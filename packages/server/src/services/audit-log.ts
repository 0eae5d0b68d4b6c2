import { requirePermission } from "../domain/access.js";
import { ChainVerifier, GENESIS_HASH, type AuditRecord, type ChainFault } from "../domain/audit.js";
import { DomainError, invalidArgument } from "../domain/errors.js";
import { describeMillis, nanosToMillis, parseGoDuration } from "../domain/duration.js";
import { parseRfc3339 } from "../domain/grant-expiry.js";
import type { AuditQuery } from "../store/repositories/audit.js";
import type { Store } from "../store/store.js";
import { audit, auditTarget, SERVER_CHAIN } from "./audit.js";
import type { AuditSigner } from "./audit-signer.js";
import type { ActorContext, Context } from "./context.js";
import { paginate, type PageRequest } from "./paginate.js";

/**
 * Reading the audit log: search with filters and paging, export as a stream (JSONL or CSV),
 * and verification of the chain against its head and its signed checkpoints. A space's admins
 * read its log; the server's own log (spaces created and deleted, keys rotated, sign-ins) is
 * for the server admin token alone.
 */

export interface AuditSearchInput extends PageRequest {
  actor?: string;
  resource?: string;
  event?: string;
  requestId?: string;
  startTime?: string;
  endTime?: string;
}

/** Which chain a request reads: a space's, or the server's. */
export type AuditScope = { kind: "space"; ctx: Context } | { kind: "server"; ctx: ActorContext };

export function chainOf(scope: AuditScope): { id: string; name: string } {
  if (scope.kind === "space") {
    requirePermission(scope.ctx.access, "space.admin", "reading the audit log");
    return scope.ctx.space;
  }
  if (scope.ctx.actor.type !== "admin") throw new DomainError("FORBIDDEN", "only the server's admin token reads the server's audit log");
  return SERVER_CHAIN;
}

export function auditQueryOf(input: AuditSearchInput): AuditQuery {
  const query: AuditQuery = {};
  if (input.actor) query.actor = input.actor;
  if (input.resource) query.resource = input.resource;
  if (input.event) query.event = input.event;
  if (input.requestId) query.requestId = input.requestId;
  if (input.startTime) query.startTime = parseRfc3339(input.startTime, "startTime");
  if (input.endTime) query.endTime = parseRfc3339(input.endTime, "endTime");
  if (query.startTime !== undefined && query.endTime !== undefined && query.endTime <= query.startTime)
    throw invalidArgument("endTime must be after startTime", "endTime");
  return query;
}

/** An event as the API shows it: what was hashed, and its hash. */
export function recordOf(row: { body: string; hash: string }): AuditRecord {
  return { ...(JSON.parse(row.body) as Omit<AuditRecord, "hash">), hash: row.hash };
}

export async function searchAudit(scope: AuditScope, input: AuditSearchInput): Promise<{ events: AuditRecord[]; nextPageToken: string }> {
  const chain = chainOf(scope);
  const query = auditQueryOf(input);
  const filters = ["audit", chain.id, JSON.stringify(query)];
  const page = await paginate(
    input,
    filters,
    (after, limit) =>
      scope.ctx.store.read.audit.rows(chain.id, query, {
        order: "desc",
        limit,
        ...(after === undefined ? {} : { beforeSeq: Number(after) }),
      }),
    (row) => String(row.seq),
  );
  return { events: page.items.map(recordOf), nextPageToken: page.nextPageToken };
}

const EXPORT_PAGE = 1000;

/**
 * The events matching `query`, oldest first, one line at a time: a JSONL line is the event
 * as hashed plus its hash (so an export can be verified on its own), a CSV row the fields an
 * auditor sorts by. The log is read a page at a time up to the head as it was when the export
 * began, so memory stays flat however long the log is.
 */
export async function* exportAudit(store: Store, chainId: string, query: AuditQuery, format: "jsonl" | "csv"): AsyncGenerator<string> {
  const chain = await store.read.audit.chain(chainId);
  if (!chain) return;
  if (format === "csv") yield `${CSV_COLUMNS.join(",")}\n`;
  let from = chain.baseSeq;
  for (;;) {
    const rows = await store.read.audit.rows(chainId, query, { order: "asc", fromSeq: from, toSeq: chain.headSeq, limit: EXPORT_PAGE });
    if (rows.length === 0) return;
    let chunk = "";
    for (const row of rows) chunk += format === "jsonl" ? `${row.body.slice(0, -1)},"hash":"${row.hash}"}\n` : csvRow(recordOf(row));
    yield chunk;
    from = rows[rows.length - 1]!.seq + 1;
    if (rows.length < EXPORT_PAGE) return;
  }
}

const CSV_COLUMNS = [
  "seq",
  "timestamp",
  "event",
  "actor_kind",
  "actor_id",
  "actor_email",
  "resources",
  "reason",
  "request_id",
  "id",
  "prev_hash",
  "hash",
];

function csvRow(record: AuditRecord): string {
  const resources = record.resources.map((r) => `${r.kind}:${r.id ?? r.email ?? ""}`).join(" ");
  return `${[
    String(record.seq),
    record.timestamp,
    record.event,
    record.actor.kind,
    record.actor.id ?? "",
    record.actor.email ?? "",
    resources,
    record.reason,
    record.meta.labels["greenlight.dev/request-id"] ?? "",
    record.id,
    record.prevHash,
    record.hash,
  ]
    .map(csvField)
    .join(",")}\n`;
}

/** RFC 4180 quoting; a field a spreadsheet would run as a formula is prefixed with a quote. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export interface VerifyReport {
  valid: boolean;
  /** How many events were checked, from the first kept (`fromSeq`) to the head. */
  checkedEvents: number;
  fromSeq: number;
  head: { seq: number; hash: string };
  /** How many signed checkpoints the chain was checked against, and the latest one's position. */
  checkpointsChecked: number;
  latestCheckpointSeq: number | null;
  /** The first thing found wrong: where, and what. */
  firstFault?: ChainFault;
}

/**
 * Recomputes the chain from its first kept event to its head and checks it against every
 * signed checkpoint still within it. The first fault is named by position: an edited event,
 * one missing, one out of place, a tail cut off (the head, or a checkpoint, is beyond the
 * last event), or a rewritten stretch that no longer matches a checkpoint.
 */
export async function verifyAudit(store: Store, signer: AuditSigner, chainId: string): Promise<VerifyReport> {
  const chain = await store.read.audit.chain(chainId);
  const head = chain ? { seq: chain.headSeq, hash: chain.headHash } : { seq: 0, hash: GENESIS_HASH };
  const base = chain ? { seq: chain.baseSeq, prevHash: chain.basePrevHash } : { seq: 1, prevHash: GENESIS_HASH };
  const marks: Array<{ seq: number; hash: string }> = [];
  let badCheckpoint: ChainFault | undefined;
  let latestCheckpointSeq: number | null = null;
  for (let before: number | undefined; ;) {
    const page = await store.read.audit.listCheckpoints(chainId, { limit: 1000, ...(before === undefined ? {} : { beforeSeq: before }) });
    for (const checkpoint of page) {
      latestCheckpointSeq ??= checkpoint.seq;
      if (checkpoint.seq < base.seq) continue;
      const claims = await signer.verify(checkpoint.jws);
      if (!claims || claims.spaceId !== chainId || claims.seq !== checkpoint.seq || claims.hash !== checkpoint.hash) {
        badCheckpoint ??= {
          seq: checkpoint.seq,
          problem: "checkpoint-mismatch",
          message: `the checkpoint at event ${checkpoint.seq} does not carry a valid signature over what it records`,
        };
        continue;
      }
      marks.push({ seq: claims.seq, hash: claims.hash });
    }
    if (page.length < 1000) break;
    before = page[page.length - 1]!.seq;
  }
  const verifier = new ChainVerifier(base, marks);
  let from = base.seq;
  for (;;) {
    const rows = await store.read.audit.rows(chainId, {}, { order: "asc", fromSeq: from, limit: EXPORT_PAGE });
    let going = true;
    for (const row of rows) if (!(going = verifier.push(row))) break;
    if (!going || rows.length < EXPORT_PAGE) break;
    from = rows[rows.length - 1]!.seq + 1;
  }
  const chainFault = verifier.finish(head);
  const firstFault = [chainFault, badCheckpoint].filter((f): f is ChainFault => f !== undefined).sort((a, b) => a.seq - b.seq)[0];
  const report: VerifyReport = {
    valid: firstFault === undefined,
    checkedEvents: verifier.checked,
    fromSeq: base.seq,
    head,
    checkpointsChecked: marks.length,
    latestCheckpointSeq,
  };
  if (firstFault) report.firstFault = firstFault;
  return report;
}

/** The log's settings: how long events are kept (null: for ever). */
export interface WireAuditSettings {
  retention: string | null;
}

/** The shortest retention: an auditor's question about yesterday must have an answer. */
const MIN_RETENTION_MS = 24 * 3_600_000;

export async function getAuditSettings({ ctx }: { ctx: Context }): Promise<WireAuditSettings> {
  const chain = await ctx.store.read.audit.chain(chainOf({ kind: "space", ctx }).id);
  return { retention: chain?.retentionMs == null ? null : describeMillis(chain.retentionMs) };
}

export async function putAuditSettings({ ctx, input }: { ctx: Context; input: { retention?: string | null } }): Promise<WireAuditSettings> {
  const chain = chainOf({ kind: "space", ctx });
  const text = input.retention ?? "";
  const retentionMs = text === "" || text === "0" ? null : nanosToMillis(parseGoDuration(text, "retention"));
  if (retentionMs !== null && retentionMs < MIN_RETENTION_MS)
    throw invalidArgument(`retention must be at least ${describeMillis(MIN_RETENTION_MS)}, or empty to keep events for ever`, "retention");
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    // The change is recorded first, which also starts the chain of a space that had none.
    await audit(tx, ctx, chain, now, {
      event: "audit/settings-updated",
      resources: [auditTarget("auditLog", chain.name)],
      labels: { "greenlight.dev/audit/retention": retentionMs === null ? "forever" : describeMillis(retentionMs) },
    });
    await tx.audit.setRetention(chain.id, retentionMs, now);
  });
  return { retention: retentionMs === null ? null : describeMillis(retentionMs) };
}
