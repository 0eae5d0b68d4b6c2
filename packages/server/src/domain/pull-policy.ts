import { CronExpressionParser } from "cron-parser";
import { nanosToMillis, parseGoDuration } from "./duration.js";
import { invalidArgument, isDomainError } from "./errors.js";

/**
 * A pull policy (Indent's SyncPolicy): a PullUpdate of some kinds, run on a schedule, so the
 * catalog follows the systems it mirrors (new Okta groups, renamed GitHub teams) without anyone
 * asking. A schedule is a cron expression of five fields in UTC (`0 * * * *`), a descriptor
 * (`@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`), or `@every <duration>` as robfig/cron
 * writes it (`@every 15m`). Runs are at least a minute apart.
 */
export interface PullPolicy {
  spaceId: string;
  name: string;
  displayName: string;
  schedule: string;
  kinds: string[];
  flags: Record<string, string>;
  nextRunAt: number;
  lastRunAt: number | null;
  lastResult: PullRunResult | null;
  createdAt: number;
  updatedAt: number;
}

export interface PullRunResult {
  resources: number;
  errors: string[];
  durationMs?: number;
}

const MIN_INTERVAL_MS = 60_000;
const DESCRIPTORS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

/** Checks a schedule; returns it as given (trimmed). */
export function checkSchedule(schedule: string | undefined, field: string): string {
  const text = (schedule ?? "").trim();
  if (text === "") throw invalidArgument(`${field} is required: a cron expression such as "0 * * * *", "@hourly" or "@every 30m"`, field);
  nextRunAfter(text, 0, field);
  return text;
}

/** When a schedule next fires after `after` (epoch ms). */
export function nextRunAfter(schedule: string, after: number, field = "schedule"): number {
  if (schedule.startsWith("@every")) {
    const interval = parseInterval(schedule.slice("@every".length).trim(), field);
    return after + interval;
  }
  if (schedule.startsWith("@") && !DESCRIPTORS.includes(schedule)) {
    throw invalidArgument(
      `${field} ${JSON.stringify(schedule)} is not a known descriptor; use one of ${DESCRIPTORS.join(", ")} or @every`,
      field,
    );
  }
  if (!schedule.startsWith("@") && schedule.split(/\s+/).length !== 5) {
    throw invalidArgument(
      `${field} must have five fields (minute hour day-of-month month day-of-week), as in "0 * * * *"; got ${JSON.stringify(schedule)}`,
      field,
    );
  }
  try {
    return CronExpressionParser.parse(schedule, { currentDate: new Date(after), tz: "UTC" })
      .next()
      .getTime();
  } catch (error) {
    throw invalidArgument(`${field} ${JSON.stringify(schedule)} is not a cron expression: ${(error as Error).message}`, field);
  }
}

function parseInterval(text: string, field: string): number {
  let ms: number;
  try {
    ms = nanosToMillis(parseGoDuration(text, field));
  } catch (error) {
    if (isDomainError(error)) throw invalidArgument(`${field}: @every takes a duration such as 15m or 6h; ${error.message}`, field);
    throw error;
  }
  if (ms < MIN_INTERVAL_MS) throw invalidArgument(`${field}: pulls run at most once a minute; "@every ${text}" is too often`, field);
  return ms;
}

/** Checks the kinds a pull asks for: at least one, each a resource kind such as okta.v1.Group. */
export function checkPullKinds(kinds: string[] | undefined, field: string): string[] {
  const list = [...new Set((kinds ?? []).map((k) => k.trim()))];
  if (list.length === 0) throw invalidArgument(`${field} must name at least one resource kind, such as "okta.v1.Group"`, field);
  list.forEach((kind, i) => {
    if (kind === "" || /\s/.test(kind))
      throw invalidArgument(`${field}[${i}] must be a resource kind without spaces, such as "okta.v1.Group"`, `${field}[${i}]`);
  });
  return list;
}
