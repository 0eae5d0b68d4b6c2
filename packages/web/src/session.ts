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
}

export async function currentSession(): Promise<Session | null> {
  const response = await fetch("/v1/auth/session", { credentials: "same-origin" });
  return response.ok ? ((await response.json()) as Session) : null;
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
  const client = new GreenlightAPI({ baseURL: location.origin, apiToken: body.accessToken, spaceName: space });
  clients.set(space, { client, until: Date.now() + (body.expiresIn ?? 0) * 1000 });
  return client;
}

export async function signOut(): Promise<void> {
  await fetch("/auth/logout", { method: "POST", credentials: "same-origin", headers: { "x-csrf-token": csrfToken() } });
  clients.clear();
}
