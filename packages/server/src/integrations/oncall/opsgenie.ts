import { createGetJson, findFirst, isRecord, listField, normalizeEmail, textOf } from "./http.js";
import { OnCallError, type OnCallAnswer, type OnCallProviderConfig } from "./types.js";

interface Schedule {
  id: string;
  name: string;
  enabled: boolean;
}

/** Teams and escalations nest their own participants; deeper than this is not a real schedule. */
const MAX_PARTICIPANT_DEPTH = 4;

/**
 * Whether `email` is on call in Opsgenie now, the way Indent's Opsgenie integration decides:
 * list the schedules (`GET /v2/schedules`, one unpaged list), keep the configured names or ids,
 * then read each one's current on-call participants (`GET /v2/schedules/{id}/on-calls?flat=false`),
 * where a user participant's `name` is their email. Disabled schedules page nobody, so they are
 * not asked.
 */
export async function checkOpsgenie(config: OnCallProviderConfig, email: string): Promise<OnCallAnswer> {
  const get = createGetJson({
    ...(config.fetch ? { fetch: config.fetch } : {}),
    provider: "opsgenie",
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    headers: { authorization: `GenieKey ${config.apiKey}`, accept: "application/json" },
    timeoutMs: config.timeoutMs,
  });

  const body = await get("/v2/schedules", {}, "listing schedules");
  const schedules = listField("opsgenie", body, "data", "listing schedules").flatMap(readSchedule);
  const wanted = config.schedules ?? [];
  const isWanted = (schedule: Schedule, entry: string) => entry === schedule.id || entry.toLowerCase() === schedule.name.toLowerCase();
  const selected = wanted.length === 0 ? schedules : schedules.filter((schedule) => wanted.some((entry) => isWanted(schedule, entry)));
  const missing = wanted.filter((entry) => !schedules.some((schedule) => isWanted(schedule, entry)));
  const chosen = selected.filter((schedule) => schedule.enabled);
  const target = normalizeEmail(email);

  const match = await findFirst(chosen, async (schedule) => {
    const what = `reading who is on call in schedule ${schedule.id}`;
    const answer = await get(`/v2/schedules/${encodeURIComponent(schedule.id)}/on-calls`, { flat: "false" }, what);
    const data = isRecord(answer) ? answer.data : undefined;
    const participants = listField("opsgenie", data, "onCallParticipants", what);
    return userEmails(participants, 0).has(target) ? schedule : undefined;
  });

  if (match) return { onCall: true, detail: `on call in Opsgenie schedule "${match.name}" (${match.id})` };
  const disabled = selected.length - chosen.length;
  const notes = [
    disabled > 0 ? `${disabled} disabled schedule${disabled === 1 ? "" : "s"} skipped` : "",
    missing.length > 0 ? `configured schedules not found: ${missing.join(", ")}` : "",
  ].filter(Boolean);
  const checked = `${chosen.length} Opsgenie schedule${chosen.length === 1 ? "" : "s"}`;
  return { onCall: false, detail: `not on call in ${checked}${notes.map((note) => `; ${note}`).join("")}` };
}

function readSchedule(entry: unknown): Schedule[] {
  if (!isRecord(entry)) return [];
  const id = textOf(entry.id);
  return id ? [{ id, name: textOf(entry.name) ?? id, enabled: entry.enabled !== false }] : [];
}

/** The emails of every user participant, including those inside team and escalation participants. */
function userEmails(participants: unknown[], depth: number): Set<string> {
  if (depth > MAX_PARTICIPANT_DEPTH) throw new OnCallError("opsgenie", "on-call participants are nested too deeply to read");
  const emails = new Set<string>();
  for (const participant of participants) {
    if (!isRecord(participant)) continue;
    const name = textOf(participant.name);
    if (participant.type === "user" && name) emails.add(normalizeEmail(name));
    if (Array.isArray(participant.onCallParticipants)) {
      for (const nested of userEmails(participant.onCallParticipants, depth + 1)) emails.add(nested);
    }
  }
  return emails;
}
