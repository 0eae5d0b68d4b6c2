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

const clients = new Map<string, { client: GreenlightAPI; until: number }>();

/** A client for the space, as the signed-in person. */
export async function apiFor(space: string): Promise<GreenlightAPI> {
  const known = clients.get(space);
  if (known && known.until > Date.now() + 60_000) return known.client;
  const response = await fetch("/v1/auth/session:token", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", "x-csrf-token": csrfToken() },
    body: JSON.stringify({ space }),
  });
  const body = (await response.json()) as { accessToken?: string; expiresIn?: number; error?: { message: string } };
  if (!response.ok || !body.accessToken) throw new Error(body.error?.message ?? `the server answered ${response.status}`);
  // A token the server refuses (its session ended, say after signing in again in another tab)
  // is forgotten, so the next call mints one from the session the browser has now.
  const forgetting: typeof fetch = async (input, init) => {
    const answer = await fetch(input, init);
    if (answer.status === 401 && clients.get(space)?.client === client) clients.delete(space);
    return answer;
  };
  const client = new GreenlightAPI({ baseURL: location.origin, apiToken: body.accessToken, spaceName: space, fetch: forgetting });
  clients.set(space, { client, until: Date.now() + (body.expiresIn ?? 0) * 1000 });
  return client;
}

export async function signOut(): Promise<void> {
  await fetch("/auth/logout", { method: "POST", credentials: "same-origin", headers: { "x-csrf-token": csrfToken() } });
  clients.clear();
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
  clients.clear();
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
