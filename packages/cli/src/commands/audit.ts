import {
  verifyAuditExport,
  type AuditCheckpoint,
  type AuditEvent,
  type AuditPublicKey,
  type AuditQuery,
  type AuditVerifyReport,
  type GreenlightAPI,
  type OfflineVerifyReport,
} from "@greenlight/sdk";
import { Command } from "commander";
import { createReadStream, createWriteStream, readFileSync } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { clientFor, parseDurationMs } from "../client.js";
import { loadKept, saveKept } from "../kept-checkpoints.js";
import { EXIT, parseFormat, printJson, printTable, shortTime, UsageError } from "../output.js";

interface FilterFlags {
  writer?: string;
  actor?: string;
  resource?: string;
  event?: string;
  request?: string;
  since?: string;
  until?: string;
}

function withFilters(command: Command): Command {
  return command
    .option("--writer <writer>", "server: only the server's own events; input: only those applications wrote through inputs")
    .option("--actor <who>", "events by this actor: an email or an id")
    .option("--resource <id>", "events naming this resource: an id or an email")
    .option("--event <name>", 'this event, or a prefix ending in "*" ("access/*")')
    .option("--request <id>", "events written by this request (its x-request-id)")
    .option("--since <time>", "events at or after this RFC 3339 time")
    .option("--until <time>", "events before this RFC 3339 time");
}

function queryOf(flags: FilterFlags): AuditQuery {
  const query: AuditQuery = {};
  if (flags.writer !== undefined) {
    if (flags.writer !== "server" && flags.writer !== "input") throw new UsageError("--writer must be server or input");
    query.writer = flags.writer;
  }
  if (flags.actor) query.actor = flags.actor;
  if (flags.resource) query.resource = flags.resource;
  if (flags.event) query.event = flags.event;
  if (flags.request) query.requestId = flags.request;
  if (flags.since) query.startTime = flags.since;
  if (flags.until) query.endTime = flags.until;
  return query;
}

function who(event: AuditEvent): string {
  return event.actor.email ?? event.actor.displayName ?? event.actor.id ?? event.actor.kind;
}

/** Who wrote the event into the log: the server, or an application through an input (and when it arrived). */
function writtenBy(event: AuditEvent): string {
  const { provenance } = event;
  return provenance.writer === "server" ? "server" : `input ${provenance.input}, received ${shortTime(provenance.receiveTime)}`;
}

function what(event: AuditEvent): string {
  return event.resources
    .slice(0, 3)
    .map((r) => r.id ?? r.email ?? r.kind)
    .join(", ")
    .concat(event.resources.length > 3 ? ` (+${event.resources.length - 3})` : "");
}

/**
 * `greenlight audit …`: the space's audit log, a hash chain of every change, searched,
 * exported, and verified (by the server, or here against an export and a checkpoint kept
 * elsewhere).
 *
 * @example
 * greenlight audit list --actor alice@example.com --event "access/*"
 * greenlight audit export --format jsonl --file audit.jsonl
 * greenlight audit checkpoints --latest -o json > checkpoint.json
 * greenlight audit verify --file audit.jsonl --checkpoint checkpoint.json --keys keys.json
 * greenlight audit verify --offline   # every checkpoint too; keeps the newest for the next run
 */
export function auditCommand(): Command {
  const audit = new Command("audit").description("the audit log: search, export, verify, retention, inputs");

  withFilters(audit.command("list").description("events, newest first"))
    .option("--limit <n>", "at most this many (default 50)", "50")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (flags: FilterFlags & { limit: string; output: string }, command: Command) => {
      const format = parseFormat(flags.output);
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--limit must be a whole number of at least 1");
      const client = clientFor(command);
      const events: AuditEvent[] = [];
      let pageToken: string | undefined;
      do {
        const page = await client.audit.list({ ...queryOf(flags), pageSize: Math.min(100, limit - events.length), pageToken });
        events.push(...page.events);
        pageToken = page.nextPageToken || undefined;
      } while (pageToken && events.length < limit);
      if (format === "json") return printJson(events);
      printTable(
        ["SEQ", "TIME", "EVENT", "ACTOR", "RESOURCES", "REASON", "WRITTEN BY"],
        events.map((e) => [String(e.seq), shortTime(e.timestamp), e.event, who(e), what(e), e.reason.slice(0, 60), writtenBy(e)]),
      );
    });

  withFilters(audit.command("export").description("every matching event, oldest first, streamed (JSONL lines verify on their own)"))
    .option("--format <format>", "jsonl or csv", "jsonl")
    .option("--file <path>", "write to this file instead of standard output")
    .action(async (flags: FilterFlags & { format: string; file?: string }, command: Command) => {
      if (flags.format !== "jsonl" && flags.format !== "csv") throw new UsageError("--format must be jsonl or csv");
      const out = flags.file ? createWriteStream(flags.file) : process.stdout;
      for await (const line of clientFor(command).audit.export({ ...queryOf(flags), format: flags.format })) {
        if (!out.write(`${line}\n`)) await once(out, "drain");
      }
      if (flags.file)
        await new Promise<void>((resolve, reject) =>
          (out as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? reject(e) : resolve())),
        );
    });

  audit
    .command("verify")
    .description("check the hash chain: by the server, or here, against an export and checkpoints, without trusting the server")
    .option("--file <path>", "an export (JSONL) to check here instead of asking the server")
    .option("--checkpoint <path>", "a checkpoint (JSON, from `audit checkpoints --latest -o json`) the log must reach")
    .option("--keys <path>", "the keys that verify checkpoints (JSON, from GET /v1/audit/keys; default: those kept, else ask the server)")
    .option(
      "--offline",
      "download the export and every checkpoint and check them here; the newest checkpoint verified is kept for the next run",
    )
    .option("-o, --output <format>", "text or json", "text")
    .action(async (flags: { file?: string; checkpoint?: string; keys?: string; offline?: boolean; output: string }, command: Command) => {
      const format = parseFormat(flags.output);
      const client = clientFor(command);
      let report: AuditVerifyReport | OfflineVerifyReport;
      if (flags.offline) report = await verifyOffline(client, flags);
      else if (flags.file) {
        const checkpoint = flags.checkpoint ? readJson<AuditCheckpoint>(flags.checkpoint) : undefined;
        const keys = flags.keys ? readJson<{ keys: AuditPublicKey[] }>(flags.keys) : checkpoint ? await client.audit.keys() : undefined;
        const lines = createInterface({ input: createReadStream(flags.file), crlfDelay: Infinity });
        report = await verifyAuditExport(lines, { ...(checkpoint ? { checkpoint } : {}), ...(keys ? { keys } : {}) });
        // A chain cut short still chains: only a checkpoint says where it must reach.
        if (!checkpoint) process.stderr.write(NO_CHECKPOINT_WARNING);
      } else report = await client.audit.verify();
      if (!report.valid) process.exitCode = EXIT.failed;
      if (format === "json") return printJson(report);
      const against = flags.offline ? `, against ${report.checkpointsChecked} checkpoints` : "";
      if (report.valid) process.stdout.write(`The audit log verifies: ${report.checkedEvents} events checked${against}.\n`);
      else
        process.stdout.write(
          `The audit log does NOT verify: event ${report.firstFault!.seq} ${report.firstFault!.problem}: ${report.firstFault!.message}\n`,
        );
    });

  audit
    .command("checkpoints")
    .description("signed checkpoints of the chain, newest first: keep them somewhere the server cannot write")
    .option("--latest", "only the newest")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (flags: { latest?: boolean; output: string }, command: Command) => {
      const format = parseFormat(flags.output);
      const { checkpoints } = await clientFor(command).audit.checkpoints({ pageSize: flags.latest ? 1 : 100 });
      if (format === "json") return printJson(flags.latest ? (checkpoints[0] ?? null) : checkpoints);
      printTable(
        ["SEQ", "SIGNED", "HASH", "KEY"],
        checkpoints.map((c) => [String(c.seq), shortTime(c.signTime), c.hash, c.kid]),
      );
    });

  audit
    .command("retention [duration]")
    .description('show how long events are kept, or set it (a Go duration such as 8760h; "forever" keeps them)')
    .action(async (duration: string | undefined, _flags: unknown, command: Command) => {
      const client = clientFor(command);
      const settings =
        duration === undefined ? await client.audit.settings() : await client.audit.setRetention(duration === "forever" ? null : duration);
      process.stdout.write(`Audit events are kept ${settings.retention === null ? "for ever" : `for ${settings.retention}`}.\n`);
    });

  const inputs = audit.command("inputs").description("where applications write their own events (Indent's audit write API)");
  inputs
    .command("list")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (flags: { output: string }, command: Command) => {
      const format = parseFormat(flags.output);
      const { inputs: list } = await clientFor(command).audit.inputs();
      if (format === "json") return printJson(list);
      printTable(
        ["INPUT", "TOKEN", "LAST WRITE", "WRITE URL"],
        list.map((i) => [`${i.provider}/${i.name}`, i.tokenHint, shortTime(i.lastWriteTime), i.writeUrl]),
      );
    });
  inputs
    .command("create <provider> <name>")
    .description("add an input; its token is printed once")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (provider: string, name: string, flags: { output: string }, command: Command) => {
      const format = parseFormat(flags.output);
      const input = await clientFor(command).audit.createInput({ provider, name });
      if (format === "json") return printJson(input);
      process.stdout.write(
        `Added input ${input.provider}/${input.name}. Its token is shown only now:\n  ${input.token}\n` +
          `Write events with: POST ${input.writeUrl}  (Authorization: Bearer <token>, body {"events": [...]})\n`,
      );
    });
  inputs
    .command("delete <provider> <name>")
    .description("remove an input: its token stops working")
    .action(async (provider: string, name: string, _flags: unknown, command: Command) => {
      await clientFor(command).audit.deleteInput(provider, name);
      process.stdout.write(`Removed input ${provider}/${name}.\n`);
    });

  return audit;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

const NO_CHECKPOINT_WARNING =
  "greenlight: warning: without --checkpoint, only the events in the file are checked: events cut from its end cannot be detected.\n" +
  "  Check it against a checkpoint kept where the server cannot write (greenlight audit checkpoints --latest -o json > checkpoint.json),\n" +
  "  or run greenlight audit verify --offline, which keeps the newest checkpoint it verified for the next run.\n";

/**
 * The whole log and every checkpoint, checked here: the checkpoints must form an unbroken
 * sequence that still holds the one kept from the last run (or given with --checkpoint),
 * match the log, and cover every event older than the server's checkpoint delay. When it
 * verifies, the newest checkpoint is kept for the next run.
 */
async function verifyOffline(
  client: GreenlightAPI,
  flags: { file?: string; checkpoint?: string; keys?: string },
): Promise<OfflineVerifyReport> {
  const kept = loadKept(client.baseURL, client.spaceName);
  const keys = flags.keys ? readJson<{ keys: AuditPublicKey[] }>(flags.keys) : (kept?.keys ?? (await client.audit.keys()));
  const checkpoint = flags.checkpoint ? readJson<AuditCheckpoint>(flags.checkpoint) : kept?.checkpoint;
  const checkpoints: AuditCheckpoint[] = [];
  let delay = "";
  for (let pageToken: string | undefined; ;) {
    const page = await client.audit.checkpoints({ pageSize: 100, ...(pageToken ? { pageToken } : {}) });
    checkpoints.push(...page.checkpoints);
    delay = page.maxCheckpointDelay;
    if (!(pageToken = page.nextPageToken || undefined)) break;
  }
  const lines = flags.file ? createInterface({ input: createReadStream(flags.file), crlfDelay: Infinity }) : client.audit.export();
  const report = await verifyAuditExport(lines, {
    checkpoints,
    keys,
    maxCheckpointDelayMs: parseDurationMs(delay, "the server's maxCheckpointDelay"),
    ...(checkpoint ? { checkpoint } : {}),
  });
  if (report.valid && report.latestCheckpoint) saveKept(client.baseURL, client.spaceName, { checkpoint: report.latestCheckpoint, keys });
  return report;
}
