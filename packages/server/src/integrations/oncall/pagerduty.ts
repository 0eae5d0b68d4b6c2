import { createGetJson, findFirst, followPages, isRecord, listField, normalizeEmail, textOf } from "./http.js";
import { OnCallError, type OnCallAnswer, type OnCallProviderConfig } from "./types.js";

/** PagerDuty's largest page for `GET /schedules` (REST API v2 classic pagination). */
const PAGE_LIMIT = 100;

interface Schedule {
  id: string;
  name: string;
}

/**
 * Whether `email` is on call in PagerDuty around `at`, the way Indent's PagerDuty integration
 * decides: list the schedules (`GET /schedules`, paged by `limit`/`offset` while `more`), keep
 * the configured ids, then ask each who is on call in a window around the request
 * (`GET /schedules/{id}/users?since=&until=`, by default one minute before to five after).
 */
export async function checkPagerDuty(config: OnCallProviderConfig, email: string, at: Date): Promise<OnCallAnswer> {
  const since = shift(at, -minutes(config.windowBeforeMinutes, 1, "windowBeforeMinutes"));
  const until = shift(at, minutes(config.windowAfterMinutes, 5, "windowAfterMinutes"));
  const get = createGetJson({
    ...(config.fetch ? { fetch: config.fetch } : {}),
    provider: "pagerduty",
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    headers: { authorization: `Token token=${config.apiKey}`, accept: "application/vnd.pagerduty+json;version=2" },
    timeoutMs: config.timeoutMs,
  });

  const schedules = await followPages<Schedule, number>(
    { provider: "pagerduty", what: "schedules", hint: "List the schedule ids to check in `schedules`." },
    async (offset = 0) => {
      const body = await get("/schedules", { limit: String(PAGE_LIMIT), offset: String(offset) }, "listing schedules");
      const entries = listField("pagerduty", body, "schedules", "listing schedules");
      const more = isRecord(body) && body.more === true && entries.length > 0;
      return { items: entries.flatMap(readSchedule), next: more ? offset + entries.length : undefined };
    },
  );

  const wanted = new Set(config.schedules ?? []);
  const chosen = wanted.size === 0 ? schedules : schedules.filter((schedule) => wanted.has(schedule.id));
  const missing = [...wanted].filter((id) => !schedules.some((schedule) => schedule.id === id));
  const target = normalizeEmail(email);
  const window = `between ${since} and ${until}`;

  const match = await findFirst(chosen, async (schedule) => {
    const what = `listing who is on call in schedule ${schedule.id}`;
    const body = await get(`/schedules/${encodeURIComponent(schedule.id)}/users`, { since, until }, what);
    const users = listField("pagerduty", body, "users", what);
    return users.some((user) => isRecord(user) && normalizeEmail(textOf(user.email) ?? "") === target) ? schedule : undefined;
  });

  if (match) return { onCall: true, detail: `on call in PagerDuty schedule "${match.name}" (${match.id}) ${window}` };
  const notFound = missing.length > 0 ? `; configured schedules not found: ${missing.join(", ")}` : "";
  const checked = `${chosen.length} PagerDuty schedule${chosen.length === 1 ? "" : "s"}`;
  return { onCall: false, detail: `not on call in ${checked} ${window}${notFound}` };
}

function readSchedule(entry: unknown): Schedule[] {
  if (!isRecord(entry)) return [];
  const id = textOf(entry.id);
  return id ? [{ id, name: textOf(entry.name) ?? textOf(entry.summary) ?? id }] : [];
}

function minutes(value: number | undefined, fallback: number, field: string): number {
  const chosen = value ?? fallback;
  if (!Number.isFinite(chosen) || chosen < 0) {
    throw new OnCallError("pagerduty", `${field} must be a number of minutes, zero or more; got ${value}`);
  }
  return chosen;
}

function shift(at: Date, byMinutes: number): string {
  return new Date(at.getTime() + byMinutes * 60_000).toISOString();
}
