import { createGetJson, findFirst, followPages, isRecord, listField, normalizeEmail, textOf, type GetJson } from "./http.js";
import type { OnCallAnswer, OnCallProviderConfig } from "./types.js";

/** The largest page incident.io's list endpoints accept, and the size Indent's integration asked for. */
const PAGE_SIZE = "250";

interface Incident {
  id: string;
  /** `INC-123` when incident.io sends a reference, else the id. */
  label: string;
  name: string;
  assignments: Assignment[];
}

interface Assignment {
  roleName: string;
  shortform: string;
  email: string;
}

/**
 * Whether `email` is responding to a live incident in incident.io, the way Indent's incident.io
 * integration decides: list live incidents (`GET /v2/incidents?status_category[one_of]=live`,
 * paged by `after`) and look for the email among the role assignees, keeping only the configured
 * roles. With `approveParticipants`, anyone who posted an update on one of those incidents
 * (`GET /v2/incident_updates?incident_id=`) counts too.
 */
export async function checkIncidentIo(config: OnCallProviderConfig, email: string): Promise<OnCallAnswer> {
  const get = createGetJson({
    ...(config.fetch ? { fetch: config.fetch } : {}),
    provider: "incidentio",
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    headers: { authorization: `Bearer ${config.apiKey}`, accept: "application/json" },
    timeoutMs: config.timeoutMs,
  });
  const target = normalizeEmail(email);
  const roleNames = (config.roles ?? []).map((role) => role.trim()).filter(Boolean);
  const roles = roleNames.map((role) => role.toLowerCase());
  const hasRole = (assignment: Assignment) =>
    roles.length === 0 || roles.includes(assignment.roleName.toLowerCase()) || roles.includes(assignment.shortform.toLowerCase());

  const incidents = await followPages<Incident, string>(
    { provider: "incidentio", what: "live incidents", hint: "That is more live incidents than any team responds to at once." },
    async (after) => {
      const query = { "status_category[one_of]": "live", page_size: PAGE_SIZE, ...(after === undefined ? {} : { after }) };
      const body = await get("/v2/incidents", query, "listing live incidents");
      return { items: listField("incidentio", body, "incidents", "listing live incidents").flatMap(readIncident), next: nextCursor(body) };
    },
  );

  for (const incident of incidents) {
    const assignment = incident.assignments.find((candidate) => candidate.email === target && hasRole(candidate));
    if (assignment) {
      return { onCall: true, detail: `holds the "${assignment.roleName}" role on live incident ${incident.label} "${incident.name}"` };
    }
  }

  if (config.approveParticipants) {
    const updated = await findFirst(incidents, async (incident) =>
      (await updaterEmails(get, incident)).has(target) ? incident : undefined,
    );
    if (updated) return { onCall: true, detail: `posted an update on live incident ${updated.label} "${updated.name}"` };
  }

  const role = roles.length === 0 ? "a role" : `one of the roles ${roleNames.join(", ")}`;
  const updates = config.approveParticipants ? " nor posted an update on one" : "";
  const live = `${incidents.length} live incident${incidents.length === 1 ? "" : "s"}`;
  return { onCall: false, detail: `holds ${role} on none of ${live} in incident.io${updates}` };
}

async function updaterEmails(get: GetJson, incident: Incident): Promise<Set<string>> {
  const what = `listing the updates on incident ${incident.label}`;
  const updates = await followPages<unknown, string>(
    { provider: "incidentio", what: `updates on incident ${incident.label}`, hint: "Turn off approveParticipants to rely on roles alone." },
    async (after) => {
      const query = { incident_id: incident.id, page_size: PAGE_SIZE, ...(after === undefined ? {} : { after }) };
      const body = await get("/v2/incident_updates", query, what);
      return { items: listField("incidentio", body, "incident_updates", what), next: nextCursor(body) };
    },
  );
  const emails = new Set<string>();
  for (const update of updates) {
    // An update posted through the API has an `api_key` updater and no user.
    const user = isRecord(update) && isRecord(update.updater) && isRecord(update.updater.user) ? update.updater.user : undefined;
    const address = textOf(user?.email);
    if (address) emails.add(normalizeEmail(address));
  }
  return emails;
}

function readIncident(entry: unknown): Incident[] {
  if (!isRecord(entry)) return [];
  const id = textOf(entry.id);
  if (!id) return [];
  const assignments = Array.isArray(entry.incident_role_assignments) ? entry.incident_role_assignments.flatMap(readAssignment) : [];
  return [{ id, label: textOf(entry.reference) ?? id, name: textOf(entry.name) ?? "", assignments }];
}

function readAssignment(entry: unknown): Assignment[] {
  if (!isRecord(entry) || !isRecord(entry.role) || !isRecord(entry.assignee)) return [];
  const email = textOf(entry.assignee.email);
  if (!email) return [];
  return [{ roleName: textOf(entry.role.name) ?? "", shortform: textOf(entry.role.shortform) ?? "", email: normalizeEmail(email) }];
}

/** `pagination_meta.after` names the next page; it is absent (or empty) on the last one. */
function nextCursor(body: unknown): string | undefined {
  const meta = isRecord(body) ? body.pagination_meta : undefined;
  return (isRecord(meta) && textOf(meta.after)) || undefined;
}
