import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Local stand-ins for the PagerDuty, Opsgenie and incident.io APIs, serving the response shapes
 * their documentation gives, with pagination, on 127.0.0.1. Each checks the auth header, records
 * every request, and can be switched into a failure mode.
 */

/**
 * How a fake answers (after checking the key): `ok` serves data; `unauthorized` answers 401 with
 * the provider's error body; `rate-limited` 429 with `Retry-After: 7`; `server-error` 500, with
 * a body that echoes the request's Authorization header the way a careless proxy might;
 * `hang` never answers; `malformed` sends invalid JSON; `redirect` sends a 302 to `/moved/…`
 * (which would serve the same data); `oversized` sends 2 MiB with a Content-Length and
 * `oversized-chunked` sends it without one.
 */
export type FakeMode =
  "ok" | "unauthorized" | "rate-limited" | "server-error" | "hang" | "malformed" | "redirect" | "oversized" | "oversized-chunked";

export interface RecordedRequest {
  method: string;
  /** Without the query and without the `/moved` prefix a redirect adds. */
  path: string;
  query: Record<string, string>;
  accept: string | undefined;
  /** Whether the request came through a redirect (it never should). */
  redirected: boolean;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** Switches the failure mode, for every path or only those matching `onlyPath`. */
  setMode(mode: FakeMode, onlyPath?: RegExp): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
  /** How long to wait before answering, to make answers arrive in a chosen order. */
  delayMs?: number;
}

interface Provider {
  authorization: string;
  errorBody(status: number, message: string): unknown;
  route(path: string, query: URLSearchParams): Answer;
}

const OVERSIZED_BYTES = 2 * 1024 * 1024;

async function startFake(provider: Provider, initialMode: FakeMode = "ok"): Promise<FakeServer> {
  let mode = initialMode;
  let modePath: RegExp | undefined;
  const requests: RecordedRequest[] = [];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const redirected = url.pathname.startsWith("/moved/");
    const path = redirected ? url.pathname.slice("/moved".length) : url.pathname;
    requests.push({ method: req.method ?? "", path, query: Object.fromEntries(url.searchParams), accept: req.headers.accept, redirected });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers });
      res.end(text);
    };

    if (req.headers.authorization !== provider.authorization) return send(401, provider.errorBody(401, "unauthorized"));
    const active = modePath === undefined || modePath.test(path) ? mode : "ok";
    switch (active) {
      case "ok": {
        const answer: Answer =
          req.method === "GET" ? provider.route(path, url.searchParams) : { status: 405, body: provider.errorBody(405, "method") };
        if (!answer.delayMs) return send(answer.status, answer.body);
        setTimeout(() => send(answer.status, answer.body), answer.delayMs);
        return;
      }
      case "unauthorized":
        return send(401, provider.errorBody(401, "unauthorized"));
      case "rate-limited":
        return send(429, provider.errorBody(429, "rate-limited"), { "retry-after": "7" });
      case "server-error":
        return send(500, { error: `upstream failed; request had authorization: ${req.headers.authorization}` });
      case "hang":
        return;
      case "malformed":
        return send(200, '{"data": [ {"id": ');
      case "redirect":
        res.writeHead(302, { location: `/moved${url.pathname}${url.search}`, "content-length": "0" });
        return res.end();
      case "oversized":
        return send(200, JSON.stringify({ padding: "x".repeat(OVERSIZED_BYTES) }));
      case "oversized-chunked": {
        res.writeHead(200, { "content-type": "application/json" });
        const chunk = "x".repeat(64 * 1024);
        res.write('{"padding":"');
        for (let written = 0; written < OVERSIZED_BYTES; written += chunk.length) res.write(chunk);
        return res.end('"}');
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setMode(next, onlyPath) {
      mode = next;
      modePath = onlyPath;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function pageOf<T>(items: T[], start: number, size: number) {
  const page = items.slice(start, start + size);
  return { page, more: start + page.length < items.length };
}

// ---- PagerDuty (REST API v2) ----

export interface FakePagerDutyUser {
  email: string;
  name?: string;
  /** When the user's on-call shift starts and ends (RFC 3339); absent: always on call. */
  from?: string;
  to?: string;
}

export interface FakePagerDutyOptions {
  apiKey: string;
  /** `delayMs` holds back that schedule's users answer. */
  schedules: { id: string; name: string; users: FakePagerDutyUser[]; delayMs?: number }[];
  /** The most schedules one page holds, whatever `limit` asks for (PagerDuty's own cap is 100). */
  pageSize?: number;
  mode?: FakeMode;
}

/** `GET /schedules` (classic `limit`/`offset`/`more` paging) and `GET /schedules/{id}/users?since=&until=`. */
export function startFakePagerDuty(options: FakePagerDutyOptions): Promise<FakeServer> {
  const pageSize = options.pageSize ?? 100;
  const error = (status: number, message: string, code: number) => ({ status, body: { error: { message, code } } });
  return startFake(
    {
      authorization: `Token token=${options.apiKey}`,
      errorBody: (status) =>
        status === 401
          ? { error: { message: "Authentication failed", code: 2006 } }
          : status === 429
            ? { error: { message: "Rate limit exceeded", code: 2020 } }
            : { error: { message: "Method Not Allowed", code: 2000 } },
      route(path, query) {
        if (path === "/schedules") {
          const limit = Math.min(Number(query.get("limit") ?? 25), pageSize);
          const offset = Number(query.get("offset") ?? 0);
          const { page, more } = pageOf(options.schedules, offset, limit);
          const schedules = page.map((s) => ({ id: s.id, type: "schedule", summary: s.name, name: s.name, time_zone: "UTC" }));
          return { status: 200, body: { schedules, limit, offset, more, total: null } };
        }
        const match = /^\/schedules\/([^/]+)\/users$/.exec(path);
        const schedule = match ? options.schedules.find((s) => s.id === decodeURIComponent(match[1]!)) : undefined;
        if (!schedule) return error(404, "Not Found", 2100);
        const since = Date.parse(query.get("since") ?? "");
        const until = Date.parse(query.get("until") ?? "");
        if (Number.isNaN(since) || Number.isNaN(until)) return error(400, "Invalid 'since' or 'until' Parameter Values", 2004);
        const onCall = schedule.users.filter(
          (u) => (u.from === undefined || Date.parse(u.from) < until) && (u.to === undefined || Date.parse(u.to) > since),
        );
        const users = onCall.map((u, i) => ({
          id: `PU${i}`,
          type: "user",
          name: u.name ?? u.email,
          summary: u.name ?? u.email,
          email: u.email,
        }));
        return { status: 200, body: { users }, delayMs: schedule.delayMs ?? 0 };
      },
    },
    options.mode,
  );
}

// ---- Opsgenie (REST API v2) ----

export type FakeOpsgenieParticipant =
  { type: "user"; name: string } | { type: "team" | "escalation"; name: string; onCallParticipants: FakeOpsgenieParticipant[] };

export interface FakeOpsgenieOptions {
  apiKey: string;
  schedules: { id: string; name: string; enabled?: boolean; participants: FakeOpsgenieParticipant[] }[];
  mode?: FakeMode;
}

/** `GET /v2/schedules` (one unpaged list) and `GET /v2/schedules/{id}/on-calls?flat=`. */
export function startFakeOpsgenie(options: FakeOpsgenieOptions): Promise<FakeServer> {
  const envelope = (extra: object) => ({ ...extra, took: 0.004, requestId: "3a8f3ba5-6d2f-4c3b-a0c8-1e6f2f0a9d11" });
  const withIds = (participants: FakeOpsgenieParticipant[]): unknown[] =>
    participants.map((p, i) => ({
      id: `p-${i}`,
      ...p,
      ...("onCallParticipants" in p ? { onCallParticipants: withIds(p.onCallParticipants) } : {}),
    }));
  const names = (participants: FakeOpsgenieParticipant[]): string[] =>
    participants.flatMap((p) => (p.type === "user" ? [p.name] : names(p.onCallParticipants)));
  return startFake(
    {
      authorization: `GenieKey ${options.apiKey}`,
      errorBody: (status) =>
        envelope({
          message: status === 401 ? "Could not authenticate" : status === 429 ? "You are making too many requests!" : "Method not allowed",
        }),
      route(path, query) {
        if (path === "/v2/schedules") {
          const data = options.schedules.map((s) => ({
            id: s.id,
            name: s.name,
            description: "",
            timezone: "UTC",
            enabled: s.enabled ?? true,
            rotations: [],
          }));
          return { status: 200, body: envelope({ data, expandable: ["rotation"] }) };
        }
        const match = /^\/v2\/schedules\/([^/]+)\/on-calls$/.exec(path);
        const identifier = match ? decodeURIComponent(match[1]!) : "";
        const byName = query.get("scheduleIdentifierType") === "name";
        const schedule = options.schedules.find((s) => (byName ? s.name : s.id) === identifier);
        if (!schedule) return { status: 404, body: envelope({ message: `No schedule exists with identifier [${identifier}]` }) };
        const parent = { id: schedule.id, name: schedule.name, enabled: schedule.enabled ?? true };
        const data =
          query.get("flat") === "true"
            ? { _parent: parent, onCallRecipients: names(schedule.participants) }
            : { _parent: parent, onCallParticipants: withIds(schedule.participants) };
        return { status: 200, body: envelope({ data }) };
      },
    },
    options.mode,
  );
}

// ---- incident.io (API v2) ----

export interface FakeIncident {
  id: string;
  reference?: string;
  name: string;
  /** The status category; only `live` incidents match `status_category[one_of]=live`. Default live. */
  category?: "triage" | "live" | "learning" | "closed" | "declined" | "merged";
  roles: { name: string; shortform: string; email?: string }[];
  /** Who posted each update, oldest first; null for an update posted with an API key. */
  updaters?: (string | null)[];
}

export interface FakeIncidentIoOptions {
  apiKey: string;
  incidents: FakeIncident[];
  /** The most records one page holds, whatever `page_size` asks for. */
  pageSize?: number;
  mode?: FakeMode;
}

const INCIDENT_IO_MAX_PAGE_SIZE = 250;

/** `GET /v2/incidents` and `GET /v2/incident_updates`, both paged by `page_size` and an `after` cursor. */
export function startFakeIncidentIo(options: FakeIncidentIoOptions): Promise<FakeServer> {
  const pageSize = options.pageSize ?? INCIDENT_IO_MAX_PAGE_SIZE;
  const failure = (status: number, type: string, code: string, message: string) => ({
    status,
    body: { type, status, request_id: "8e3cc412-b49d-4957-9073-2c19d2c61804", errors: [{ code, message }] },
  });

  /** One page after the record named by `after`, with `pagination_meta.after` only when more follow. */
  const paged = <T extends { id: string }>(key: string, records: T[], query: URLSearchParams): Answer => {
    const requested = Number(query.get("page_size") ?? 25);
    if (!(requested >= 1 && requested <= INCIDENT_IO_MAX_PAGE_SIZE)) {
      return failure(422, "validation_error", "invalid_value", `page_size must be between 1 and ${INCIDENT_IO_MAX_PAGE_SIZE}`);
    }
    const after = query.get("after");
    const start = after === null ? 0 : records.findIndex((r) => r.id === after) + 1;
    if (start === 0 && after !== null) return failure(422, "validation_error", "invalid_value", "after does not name a record");
    const { page, more } = pageOf(records, start, Math.min(requested, pageSize));
    const meta = { page_size: requested, total_record_count: records.length, ...(more ? { after: page.at(-1)!.id } : {}) };
    return { status: 200, body: { [key]: page, pagination_meta: meta } };
  };

  const incidentBody = (incident: FakeIncident) => ({
    id: incident.id,
    reference: incident.reference ?? incident.id,
    name: incident.name,
    mode: "standard",
    visibility: "public",
    incident_status: {
      id: `status-${incident.category ?? "live"}`,
      name: incident.category ?? "live",
      category: incident.category ?? "live",
    },
    incident_role_assignments: incident.roles.map((role, i) => ({
      role: { id: `role-${i}`, name: role.name, shortform: role.shortform, role_type: i === 0 ? "lead" : "custom" },
      ...(role.email
        ? { assignee: { id: `user-${role.email}`, name: role.email.split("@")[0], email: role.email, role: "responder" } }
        : {}),
    })),
  });

  return startFake(
    {
      authorization: `Bearer ${options.apiKey}`,
      errorBody: (status) =>
        status === 401
          ? failure(401, "authentication_error", "invalid_authorization_material", "The API key provided is not valid").body
          : status === 429
            ? failure(429, "rate_limited", "too_many_requests", "Rate limit exceeded").body
            : failure(status, "method_not_allowed", "method_not_allowed", "Method not allowed").body,
      route(path, query) {
        if (path === "/v2/incidents") {
          const categories = query.get("status_category[one_of]")?.split(",");
          const chosen = options.incidents.filter((incident) => !categories || categories.includes(incident.category ?? "live"));
          const answer = paged("incidents", chosen, query);
          if (answer.status !== 200) return answer;
          const body = answer.body as { incidents: FakeIncident[] };
          return { status: 200, body: { ...body, incidents: body.incidents.map(incidentBody) } };
        }
        if (path === "/v2/incident_updates") {
          const incidentId = query.get("incident_id");
          const updates = options.incidents
            .filter((incident) => incidentId === null || incident.id === incidentId)
            .flatMap((incident) =>
              (incident.updaters ?? []).map((email, i) => ({
                id: `${incident.id}-update-${i}`,
                incident_id: incident.id,
                message: `update ${i}`,
                created_at: "2030-01-01T12:00:00Z",
                updater:
                  email === null ? { api_key: { id: "key-1", name: "Automation" } } : { user: { id: `user-${email}`, name: email, email } },
              })),
            );
          return paged("incident_updates", updates, query);
        }
        return failure(404, "not_found", "not_found", "Not found");
      },
    },
    options.mode,
  );
}
