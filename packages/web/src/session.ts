import { GreenlightAPI } from "@greenlight/sdk";

/**
 * The browser's session: the server keeps it in an HTTP-only cookie this code cannot read. For
 * the API, the page asks for a short access token for one space (sending the CSRF cookie's value
 * back as a header) and uses it with the SDK like any client; a new one is asked for before it
 * runs out.
 */
export interface Session {
  email: string;
  via: string;
  expireTime: string;
  /** The spaces the person holds a role in, with those roles; the server names no others. */
  spaces: SessionSpace[];
  /** What high-risk approvals need: how this person can sign in again here, and when they last did strongly. */
  stepUp: StepUpStatus;
}

export interface StepUpStatus {
  /** `oidc` (the identity provider), `passkey` (they have one). */
  methods: string[];
  maxAge: string;
  lastStrongSignIn?: { time: string; method: string; fresh: boolean };
}

export interface SessionSpace {
  name: string;
  displayName: string;
  roles: string[];
}

export async function currentSession(): Promise<Session | null> {
  const response = await fetch("/v1/auth/session", { credentials: "same-origin" });
  if (!response.ok) return null;
  const session = (await response.json()) as Session;
  return { ...session, spaces: session.spaces ?? [], stepUp: session.stepUp ?? { methods: [], maxAge: "" } };
}

/** How people sign in here: with the identity provider, or (without one) with links an admin makes. */
export interface SignInOptions {
  identityProvider: boolean;
}

export async function signInOptions(): Promise<SignInOptions> {
  const response = await fetch("/v1/auth/signInOptions", { credentials: "same-origin" });
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  return (await response.json()) as SignInOptions;
}

const CHOSEN = "greenlight.space";

/**
 * The space to open when the address names none: the one chosen last in this browser, else
 * `default`, else the first; undefined when the person holds a role nowhere.
 */
export function preferredSpace(session: Session): string | undefined {
  const names = session.spaces.map((space) => space.name);
  let chosen: string | null = null;
  try {
    chosen = localStorage.getItem(CHOSEN);
  } catch {
    // Storage may be turned off; the default will do.
  }
  if (chosen && names.includes(chosen)) return chosen;
  return names.includes("default") ? "default" : names[0];
}

export function rememberSpace(space: string): void {
  try {
    localStorage.setItem(CHOSEN, space);
  } catch {
    // Not remembered: the next visit opens the default.
  }
}

function csrfToken(): string {
  const found = document.cookie.split("; ").find((part) => part.startsWith("greenlight_csrf="));
  return found ? decodeURIComponent(found.slice("greenlight_csrf=".length)) : "";
}

/** A space's client, and until when its token may be used (a minute before the server's expiry). */
interface Held {
  client: GreenlightAPI;
  until: number;
}

const clients = new Map<string, Held>();
/** Tokens being minted: pages that start at once share one request rather than each minting its own. */
const minting = new Map<string, Promise<Held>>();
const STORED = "greenlight.token.";
const MARGIN_MS = 60_000;
/** Counts forgettings (sign-out, step-up): a token minted before one is not kept after it. */
let generation = 0;

/**
 * A client for the space, as the signed-in person. One token serves every call until a minute
 * before it runs out: it is kept in memory and in this tab's sessionStorage (so a reload reuses
 * it), and calls made while it is being minted wait for the same one. Each token minted is an
 * event in the audit log; minting per call or per page drowned the decisions there.
 */
export async function apiFor(space: string): Promise<GreenlightAPI> {
  const known = clients.get(space) ?? restored(space);
  if (known && known.until > Date.now()) return known.client;
  let pending = minting.get(space);
  if (!pending) {
    pending = mint(space).finally(() => minting.delete(space));
    minting.set(space, pending);
  }
  return (await pending).client;
}

async function mint(space: string): Promise<Held> {
  const minted = generation;
  const session = csrfToken();
  const response = await fetch("/v1/auth/session:token", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", "x-csrf-token": csrfToken() },
    body: JSON.stringify({ space }),
  });
  const body = (await response.json().catch(() => ({}))) as { accessToken?: string; expiresIn?: number; error?: { message: string } };
  if (!response.ok || !body.accessToken) throw new Error(body.error?.message ?? `the server answered ${response.status}`);
  const until = Date.now() + (body.expiresIn ?? 0) * 1000 - MARGIN_MS;
  const held = { client: clientWith(space, body.accessToken), until };
  if (minted === generation) {
    clients.set(space, held);
    store(space, { token: body.accessToken, until, session });
  }
  return held;
}

function clientWith(space: string, token: string): GreenlightAPI {
  // A token the server refuses (its session ended, say after signing in again in another tab)
  // is forgotten, so the next call mints one from the session the browser has now.
  const forgetting: typeof fetch = async (input, init) => {
    const answer = await fetch(input, init);
    if (answer.status === 401 && clients.get(space)?.client === client) forget(space);
    return answer;
  };
  const client = new GreenlightAPI({ baseURL: location.origin, apiToken: token, spaceName: space, fetch: forgetting });
  return client;
}

/**
 * The token this tab kept for the space, if it is still good for a minute and was minted in
 * the sign-in the browser has now (the CSRF cookie is new with each): someone else signing in
 * in this tab never inherits it.
 */
function restored(space: string): Held | undefined {
  try {
    const kept = JSON.parse(sessionStorage.getItem(STORED + space) ?? "null") as Partial<Kept> | null;
    if (!kept || typeof kept.token !== "string" || typeof kept.until !== "number" || kept.until <= Date.now()) return undefined;
    if (kept.session !== csrfToken()) return undefined;
    const held = { client: clientWith(space, kept.token), until: kept.until };
    clients.set(space, held);
    return held;
  } catch {
    return undefined;
  }
}

interface Kept {
  token: string;
  until: number;
  /** The CSRF cookie's value when it was minted: which sign-in it belongs to. */
  session: string;
}

function store(space: string, kept: Kept): void {
  try {
    sessionStorage.setItem(STORED + space, JSON.stringify(kept));
  } catch {
    // Storage may be turned off: the token lives as long as the page.
  }
}

function forget(space: string): void {
  clients.delete(space);
  try {
    sessionStorage.removeItem(STORED + space);
  } catch {
    // Nothing was kept.
  }
}

/** Forgets every space's token, in memory and in this tab's storage. */
function forgetAll(): void {
  generation++;
  for (const space of [...clients.keys()]) forget(space);
  try {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith(STORED)) sessionStorage.removeItem(key);
  } catch {
    // Nothing was kept.
  }
}

export async function signOut(): Promise<void> {
  await fetch("/auth/logout", { method: "POST", credentials: "same-origin", headers: { "x-csrf-token": csrfToken() } });
  forgetAll();
  adminOf.clear();
}

/**
 * A call with the session (not a space's token): JSON in and out, the CSRF token sent along;
 * a refusal throws the server's message, with its code on the error.
 */
export async function sessionCall<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: { "x-csrf-token": csrfToken(), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = (await response.json().catch(() => ({}))) as T & { error?: { code?: string; message?: string } };
  if (!response.ok) {
    throw Object.assign(new Error(answer.error?.message ?? `the server answered ${response.status}`), { code: answer.error?.code ?? "" });
  }
  return answer;
}

/** Access tokens carry the sign-in they were minted under: after stepping up, new ones are needed. */
export function forgetTokens(): void {
  forgetAll();
}

const adminOf = new Map<string, Promise<boolean>>();

/**
 * Whether the signed-in person administers the space: only admins may read its role
 * bindings, so the answer to that read says it (directly or through a group, as the server
 * counts it). Asked once per space and sign-in.
 */
export function isSpaceAdmin(space: string): Promise<boolean> {
  let known = adminOf.get(space);
  if (!known) {
    known = apiFor(space).then(
      (api) =>
        api.space.getPolicy().then(
          () => true,
          () => false,
        ),
      () => false,
    );
    adminOf.set(space, known);
  }
  return known;
}
