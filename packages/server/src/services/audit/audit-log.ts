import { requirePermission } from "../../domain/access.js";
import { provenanceOf, type AuditBody, type AuditRecord } from "../../domain/audit.js";
import { DomainError, invalidArgument } from "../../domain/errors.js";
import { parseRfc3339 } from "../../domain/grant-expiry.js";
import type { AuditQuery as AuditFilters } from "../../store/repositories/audit.js";
import type { Store } from "../../store/store.js";
import { SERVER_CHAIN } from "./audit.js";
import type { ActorContext, Context } from "../runtime/context.js";
import { paginate } from "../runtime/paginate.js";
import type { AuditListOut, AuditQuery } from "../../contract/audit.js";

/**
 * Reading the audit log: search with filters and paging, and export as a stream (JSONL or
 * CSV). Every view shows who wrote each event (`provenance`). A space's admins
 * read its log; the server's own log (spaces created and deleted, keys rotated, sign-ins) is
 * for the server admin token alone.
 */

/** Which chain a request reads: a space's, or the server's. */
export type AuditScope = { kind: "space"; ctx: Context } | { kind: "server"; ctx: ActorContext };

/**
 * The chain a scope reads, once its actor is allowed to: every verb on a chain (search, export,
 * verify, checkpoints, settings) starts here, so none trusts its caller to have checked.
 */
export function chainOf(scope: AuditScope): { id: string; name: string } {
  if (scope.kind === "space") {
    requirePermission(scope.ctx.access, "space.admin", "reading the audit log");
    return scope.ctx.space;
  }
  if (scope.ctx.actor.type !== "admin") throw new DomainError("FORBIDDEN", "only the server's admin token reads the server's audit log");
  return SERVER_CHAIN;
}

export function auditQueryOf(input: AuditQuery): AuditFilters {
  const query: AuditFilters = {};
  if (input.writer) query.writer = input.writer;
  if (input.actor) query.actor = input.actor;
  if (input.resource) query.resource = input.resource;
  if (input.event) query.event = input.event;
  if (input.excludeEvent) query.excludeEvent = input.excludeEvent;
  if (input.requestId) query.requestId = input.requestId;
  if (input.startTime) query.startTime = parseRfc3339(input.startTime, "startTime");
  if (input.endTime) query.endTime = parseRfc3339(input.endTime, "endTime");
  if (query.startTime !== undefined && query.endTime !== undefined && query.endTime <= query.startTime)
    throw invalidArgument("endTime must be after startTime", "endTime");
  return query;
}

/** An event as the API shows it: what was hashed, its hash, and (for events written before it was recorded) its provenance. */
export function recordOf(row: { body: string; hash: string }): AuditRecord & Required<Pick<AuditRecord, "provenance">> {
  const body = JSON.parse(row.body) as AuditBody;
  return { ...body, provenance: provenanceOf(body), hash: row.hash };
}

export async function searchAudit({ scope, query: input }: { scope: AuditScope; query: AuditQuery }): Promise<AuditListOut> {
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
 * The events of the scope's chain matching `query`, oldest first, one line at a time: a JSONL
 * line is the event as hashed plus its hash (so an export can be verified on its own), a CSV
 * row the fields an auditor sorts by. Whoever may not read the chain is refused here, before
 * the answer begins (a stream cannot turn into an error once it has started); the filters are
 * checked then too. The chain's name comes back with the lines, to name the file.
 */
export function exportAudit({ scope, query, format }: { scope: AuditScope; query: AuditQuery; format: "jsonl" | "csv" }): {
  chain: { id: string; name: string };
  lines: AsyncGenerator<string>;
} {
  const chain = chainOf(scope);
  return { chain, lines: exportLines(scope.ctx.store, chain.id, auditQueryOf(query), format) };
}

/**
 * The log is read a page at a time up to the head as it was when the export began, so memory
 * stays flat however long the log is.
 */
async function* exportLines(store: Store, chainId: string, query: AuditFilters, format: "jsonl" | "csv"): AsyncGenerator<string> {
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
  "writer",
  "input",
  "receive_time",
];

function csvRow(record: ReturnType<typeof recordOf>): string {
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
    record.provenance.writer,
    record.provenance.writer === "input" ? record.provenance.input : "",
    record.provenance.receiveTime,
  ]
    .map(csvField)
    .join(",")}\n`;
}

/** RFC 4180 quoting; a field a spreadsheet would run as a formula is prefixed with a quote. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
