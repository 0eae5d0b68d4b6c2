import type { TestServer } from "./harness.js";

/** Request headers that authenticate with `token`. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let counter = 0;
/** A space name unique to this run. */
export function uniqueSpaceName(prefix = "s"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

async function expectStatus<T = any>(reply: Promise<{ status: number; body: T }>, status: number, what: string): Promise<T> {
  const { status: got, body } = await reply;
  if (got !== status) throw new Error(`${what}: expected ${status}, got ${got} ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

/** Creates a space with the admin token and returns its name. */
export async function createSpace(t: TestServer, name = uniqueSpaceName()): Promise<string> {
  await expectStatus(t.call("POST", "/v1/spaces", { space: { name } }), 201, `create space ${name}`);
  return name;
}

/** Binds `email` to `roles` in the space and mints an access token for them. */
export async function userToken(t: TestServer, space: string, email: string, roles: string[], ttl = "1h"): Promise<string> {
  for (const role of roles) {
    await expectStatus(t.call("POST", `/v1/spaces/${space}:addToRole`, { role, member: `user:${email}` }), 200, `bind ${email} to ${role}`);
  }
  const minted = await expectStatus(t.call("POST", `/v1/spaces/${space}/userTokens`, { email, ttl }), 201, `mint a token for ${email}`);
  return minted.accessToken as string;
}

export interface ServiceAccountCredentials {
  id: string;
  email: string;
  refreshToken: string;
  tokenName: string;
  accessToken: string;
}

/** Creates a service account with `roles`, a refresh token for it, and exchanges it. */
export async function serviceAccount(t: TestServer, space: string, name: string, roles: string[]): Promise<ServiceAccountCredentials> {
  const account = await expectStatus(
    t.call("POST", `/v1/spaces/${space}/serviceAccounts`, { serviceAccount: { name, roles } }),
    201,
    `create ${name}`,
  );
  const token = await expectStatus(
    t.call("POST", `/v1/spaces/${space}/tokens`, { serviceAccountId: account.serviceAccountId, displayName: `${name} token` }),
    201,
    `create a token for ${name}`,
  );
  const exchanged = await expectStatus(
    t.call("POST", "/v1/auth/token", { grant_type: "refresh_token", refresh_token: token.refreshToken }, { authorization: "" }),
    200,
    `exchange ${name}'s token`,
  );
  return {
    id: account.serviceAccountId,
    email: account.email,
    refreshToken: token.refreshToken,
    tokenName: token.name,
    accessToken: exchanged.access_token,
  };
}
