import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A fake Slack Web API on a loopback port, for tests of everything that talks to Slack. It
 * speaks as Slack does: `POST /api/<method>`, form-encoded or JSON bodies (nested values such as
 * `blocks` and `view` as JSON strings in forms), the bot token as a bearer token, platform errors
 * as HTTP 200 with `{ok: false, error}`, and rate limits as 429 with `Retry-After`. It checks
 * lightly what Slack would refuse (no text, too many blocks, unknown channels and users), so a
 * message Slack would reject fails here too. It keeps what was posted, as it is now.
 */

export interface FakeSlackUser {
  id: string;
  email?: string;
  /** The handle; derived from the email (or id) when absent. */
  name?: string;
  realName?: string;
  displayName?: string;
  teamId?: string;
  deleted?: boolean;
  isBot?: boolean;
  /** Whether Slack confirmed the email; true when absent. */
  isEmailConfirmed?: boolean;
}

export interface FakeSlackMessage {
  ts: string;
  text: string;
  blocks: unknown[] | undefined;
  threadTs?: string;
  /** How many times `chat.update` changed it. */
  updates: number;
}

export type FakeSlackFailure =
  /** HTTP 200 with `{ok: false, error}`. */
  | { error: string }
  /** HTTP 429 with `Retry-After: <seconds>`. */
  | { rateLimited: number }
  /** That HTTP status, with a body that is not Slack's JSON (a proxy's or load balancer's). */
  | { status: number }
  /** No answer for this long, then the usual one (the call still takes effect, as it may at Slack). */
  | { hangMs: number };

export interface FakeSlackCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
}

export interface FakeSlack {
  /** The `slackApiUrl` for a `WebClient`, with its trailing slash. */
  apiUrl: string;
  team: { id: string; name: string; url: string };
  bot: { userId: string; botId: string; name: string };
  /** Every request, in order, failed ones included. */
  calls: FakeSlackCall[];
  /** The messages of a conversation as they are now, oldest first. */
  messages(channel: string): FakeSlackMessage[];
  /** The messages of a user's DM with the bot. */
  dms(userId: string): FakeSlackMessage[];
  /** The id of a user's DM with the bot (as `chat.postMessage` answers it). */
  dmChannel(userId: string): string;
  ephemerals: Array<{ channel: string; user: string; text: string; blocks: unknown[] | undefined }>;
  views: Array<{ trigger_id: string; view: Record<string, unknown> }>;
  addUser(user: FakeSlackUser): void;
  addChannel(id: string): void;
  /** Fails the next `times` calls of `method` so. */
  failNext(method: string, failure: FakeSlackFailure, times?: number): void;
  /** Resolves once `predicate` holds, checked every 10 ms. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

type Args = Record<string, unknown>;
type Result = { ok: true; [key: string]: unknown } | { ok: false; error: string };

const JSON_FIELDS = new Set(["blocks", "view", "attachments", "metadata"]);

export async function startFakeSlack(options: { token: string; users?: FakeSlackUser[]; strictChannels?: boolean }): Promise<FakeSlack> {
  const users = new Map<string, FakeSlackUser>();
  const channels = new Set<string>();
  const dmOf = new Map<string, string>();
  const conversations = new Map<string, FakeSlackMessage[]>();
  const failures = new Map<string, Array<FakeSlackFailure>>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let sequence = 0;
  let viewSequence = 0;

  const team = { id: "T0FAKETEAM", name: "Fake Team", url: "https://fake-team.slack.com/" };
  const bot = { userId: "U0FAKEBOT", botId: "B0FAKEBOT", name: "greenlight" };

  /** Unique and increasing, in Slack's form: seconds, a dot, six digits. */
  const nextTs = () => {
    const micros = 100 * ++sequence;
    return `${1_700_000_000 + Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
  };
  const dmChannel = (userId: string) => {
    let id = dmOf.get(userId);
    if (!id) dmOf.set(userId, (id = `D${String(dmOf.size + 1).padStart(8, "0")}${userId.slice(1, 4).toUpperCase()}`));
    return id;
  };
  /** The conversation a `channel` argument names, or null when Slack would answer `channel_not_found`. */
  const conversation = (channel: string, dmByUser: boolean): string | null => {
    if (channels.has(channel)) return channel;
    if (/^[UW]/.test(channel)) return dmByUser && users.has(channel) && !users.get(channel)!.deleted ? dmChannel(channel) : null;
    if (/^D/.test(channel)) return [...dmOf.values()].includes(channel) ? channel : null;
    if (/^[CG][A-Z0-9]+$/.test(channel)) return options.strictChannels ? null : channel;
    return null;
  };
  const list = (channel: string) => {
    let messages = conversations.get(channel);
    if (!messages) conversations.set(channel, (messages = []));
    return messages;
  };

  /** Text and blocks as Slack checks them for a message; an error code when it would refuse them. */
  const content = (args: Args): { text: string; blocks: unknown[] | undefined } | string => {
    const text = typeof args["text"] === "string" ? args["text"] : "";
    const blocks = args["blocks"];
    if (
      blocks !== undefined &&
      (!Array.isArray(blocks) || blocks.length > 50 || blocks.some((b) => typeof b !== "object" || b === null || !("type" in b)))
    ) {
      return "invalid_blocks";
    }
    if (text === "" && (blocks === undefined || blocks.length === 0) && args["attachments"] === undefined) return "no_text";
    if (text.length > 40_000) return "msg_too_long";
    return { text, blocks: blocks as unknown[] | undefined };
  };

  const userJson = (u: FakeSlackUser) => {
    const name = u.name ?? (u.email ? u.email.split("@")[0]! : u.id.toLowerCase());
    const realName = u.realName ?? name;
    return {
      id: u.id,
      team_id: u.teamId ?? team.id,
      name,
      real_name: realName,
      deleted: u.deleted ?? false,
      is_bot: u.isBot ?? false,
      is_email_confirmed: u.isEmailConfirmed ?? true,
      profile: { ...(u.email ? { email: u.email } : {}), real_name: realName, display_name: u.displayName ?? "" },
    };
  };

  const methods: Record<string, (args: Args) => Result> = {
    "auth.test": () => ({
      ok: true,
      url: team.url,
      team: team.name,
      team_id: team.id,
      user: bot.name,
      user_id: bot.userId,
      bot_id: bot.botId,
    }),
    "chat.postMessage": (args) => {
      const channel = conversation(String(args["channel"] ?? ""), true);
      if (!channel) return { ok: false, error: "channel_not_found" };
      const body = content(args);
      if (typeof body === "string") return { ok: false, error: body };
      const ts = nextTs();
      const threadTs = typeof args["thread_ts"] === "string" ? args["thread_ts"] : undefined;
      list(channel).push({ ts, ...body, ...(threadTs ? { threadTs } : {}), updates: 0 });
      const message = {
        type: "message",
        text: body.text,
        ...(body.blocks ? { blocks: body.blocks } : {}),
        user: bot.userId,
        bot_id: bot.botId,
        team: team.id,
        ts,
      };
      return { ok: true, channel, ts, message };
    },
    "chat.update": (args) => {
      const channel = conversation(String(args["channel"] ?? ""), false);
      if (!channel) return { ok: false, error: "channel_not_found" };
      const message = conversations.get(channel)?.find((m) => m.ts === args["ts"]);
      if (!message) return { ok: false, error: "message_not_found" };
      const body = content(args);
      if (typeof body === "string") return { ok: false, error: body };
      Object.assign(message, body, { updates: message.updates + 1 });
      return {
        ok: true,
        channel,
        ts: message.ts,
        text: body.text,
        message: { text: body.text, ...(body.blocks ? { blocks: body.blocks } : {}), user: bot.userId, bot_id: bot.botId },
      };
    },
    "chat.postEphemeral": (args) => {
      const channel = conversation(String(args["channel"] ?? ""), true);
      if (!channel) return { ok: false, error: "channel_not_found" };
      const user = String(args["user"] ?? "");
      if (!users.has(user)) return { ok: false, error: "user_not_in_channel" };
      const body = content(args);
      if (typeof body === "string") return { ok: false, error: body };
      ephemerals.push({ channel, user, ...body });
      return { ok: true, message_ts: nextTs() };
    },
    "users.info": (args) => {
      const user = users.get(String(args["user"] ?? ""));
      return user ? { ok: true, user: userJson(user) } : { ok: false, error: "user_not_found" };
    },
    "users.lookupByEmail": (args) => {
      const email = String(args["email"] ?? "").toLowerCase();
      const user = [...users.values()].find((u) => u.email?.toLowerCase() === email && !u.deleted);
      return user ? { ok: true, user: userJson(user) } : { ok: false, error: "users_not_found" };
    },
    "views.open": (args) => {
      const triggerId = typeof args["trigger_id"] === "string" ? args["trigger_id"] : "";
      if (triggerId === "") return { ok: false, error: "invalid_arguments" };
      if (triggerId.startsWith("expired")) return { ok: false, error: "expired_trigger_id" };
      const view = args["view"];
      if (typeof view !== "object" || view === null || Array.isArray(view)) return { ok: false, error: "invalid_arguments" };
      const blocks = (view as Args)["blocks"];
      if (!Array.isArray(blocks) || blocks.length > 100) return { ok: false, error: "invalid_arguments" };
      views.push({ trigger_id: triggerId, view: view as Args });
      const id = `V${String(++viewSequence).padStart(10, "0")}`;
      return {
        ok: true,
        view: {
          id,
          team_id: team.id,
          state: { values: {} },
          hash: `${id}.hash`,
          app_id: "A0FAKEAPP",
          bot_id: bot.botId,
          ...(view as Args),
        },
      };
    },
  };

  const ephemerals: FakeSlack["ephemerals"] = [];
  const views: FakeSlack["views"] = [];
  const calls: FakeSlackCall[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => void answer(req, res, Buffer.concat(chunks).toString("utf8")));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function answer(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const method = /^\/api\/([\w.]+)$/.exec(req.url?.split("?")[0] ?? "")?.[1];
    if (req.method !== "POST" || !method) return send(res, 404, "not a Slack Web API method");
    const parsed = parseArgs(req.headers["content-type"] ?? "", raw);
    calls.push({ method, args: typeof parsed === "string" ? {} : parsed, at: Date.now() });

    const failure = failures.get(method)?.shift();
    if (failure && "hangMs" in failure) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, failure.hangMs);
        timers.add(timer);
      });
    } else if (failure && "rateLimited" in failure)
      return send(res, 429, { ok: false, error: "ratelimited" }, { "Retry-After": String(failure.rateLimited) });
    else if (failure && "status" in failure) return send(res, failure.status, `fake Slack: HTTP ${failure.status}`);
    else if (failure) return send(res, 200, { ok: false, error: failure.error });

    if (typeof parsed === "string") return send(res, 200, { ok: false, error: parsed });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const token = bearer ?? (typeof parsed["token"] === "string" ? parsed["token"] : undefined);
    if (!token) return send(res, 200, { ok: false, error: "not_authed" });
    if (token !== options.token) return send(res, 200, { ok: false, error: "invalid_auth" });
    const handler = methods[method];
    if (!handler) return send(res, 200, { ok: false, error: "unknown_method" });
    send(res, 200, handler(parsed));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  for (const user of options.users ?? []) users.set(user.id, user);

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    team,
    bot,
    calls,
    ephemerals,
    views,
    messages: (channel) => [...(conversations.get(dmOf.get(channel) ?? channel) ?? [])],
    dms: (userId) => [...(dmOf.has(userId) ? (conversations.get(dmOf.get(userId)!) ?? []) : [])],
    dmChannel,
    addUser: (user) => void users.set(user.id, user),
    addChannel: (id) => void channels.add(id),
    failNext(method, failure, times = 1) {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push(failure);
      failures.set(method, queue);
    },
    async waitFor(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) {
          const recent = calls.slice(-5).map((c) => c.method);
          throw new Error(`fake Slack: the condition did not hold within ${timeoutMs} ms (last calls: ${recent.join(", ") || "none"})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A request's arguments, or the error code Slack answers for a body it cannot read. */
function parseArgs(contentType: string, raw: string): Args | string {
  if (contentType.startsWith("application/json")) {
    try {
      const body: unknown = JSON.parse(raw || "{}");
      if (typeof body !== "object" || body === null || Array.isArray(body)) return "invalid_json";
      // Nested values may come as JSON strings here too; Slack reads them either way.
      for (const [key, value] of Object.entries(body)) {
        if (JSON_FIELDS.has(key) && typeof value === "string") {
          try {
            (body as Args)[key] = JSON.parse(value);
          } catch {
            return key === "blocks" ? "invalid_blocks" : "invalid_arguments";
          }
        }
      }
      return body as Args;
    } catch {
      return "invalid_json";
    }
  }
  const args: Args = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (!JSON_FIELDS.has(key)) {
      args[key] = value;
      continue;
    }
    try {
      args[key] = JSON.parse(value);
    } catch {
      return key === "blocks" ? "invalid_blocks" : "invalid_arguments";
    }
  }
  return args;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const json = typeof body !== "string";
  res.writeHead(status, { "Content-Type": json ? "application/json; charset=utf-8" : "text/plain", ...headers });
  res.end(json ? JSON.stringify(body) : body);
}
