import type { Kysely } from "kysely";
import { toMillis, toMillisOrNull } from "../codec.js";
import type { StrongMethod } from "../../domain/step-up.js";
import type { Database } from "../schema.js";
import { SecretBoxError, type SecretBox } from "../secret-box.js";

export interface WebSession {
  id: string;
  email: string;
  via: "oidc" | "link";
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  /** When and how the person last authenticated strongly in this session; null: not at all (a sign-in link, or no auth_time). */
  strongAuth: { at: number; method: StrongMethod } | null;
}

export interface WebLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  createdAt: number;
  /** A step-up login: the provider was asked to sign the person in again, no longer ago than this. */
  maxAgeMs: number | null;
}

export type PasskeyCeremony = "register" | "step-up";

/**
 * Browser sessions, identity-provider logins and passkey ceremonies under way, and one-time
 * sign-in links. Secrets are kept only as digests, but for a login's PKCE verifier, which must
 * be read back: it is sealed, bound to the login's state.
 */
export class WebSessionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  async insertSession(session: WebSession): Promise<void> {
    await this.db
      .insertInto("web_sessions")
      .values({
        id: session.id,
        email: session.email,
        via: session.via,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
        revoked_at: session.revokedAt,
        auth_time: session.strongAuth?.at ?? null,
        auth_method: session.strongAuth?.method ?? null,
      })
      .execute();
  }

  /** Records a strong authentication (a passkey) in a live session. */
  async setStrongAuth(id: string, strongAuth: { at: number; method: StrongMethod }): Promise<void> {
    await this.db
      .updateTable("web_sessions")
      .set({ auth_time: strongAuth.at, auth_method: strongAuth.method })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .execute();
  }

  async getSession(id: string): Promise<WebSession | undefined> {
    const row = await this.db.selectFrom("web_sessions").selectAll().where("id", "=", id).executeTakeFirst();
    return (
      row && {
        id: row.id,
        email: row.email,
        via: row.via as WebSession["via"],
        createdAt: toMillis(row.created_at),
        expiresAt: toMillis(row.expires_at),
        revokedAt: toMillisOrNull(row.revoked_at),
        strongAuth:
          row.auth_time === null || row.auth_method === null
            ? null
            : { at: toMillis(row.auth_time), method: row.auth_method as StrongMethod },
      }
    );
  }

  async revokeSession(id: string, at: number): Promise<void> {
    await this.db.updateTable("web_sessions").set({ revoked_at: at }).where("id", "=", id).where("revoked_at", "is", null).execute();
  }

  async insertLogin(login: WebLogin): Promise<void> {
    await this.db
      .insertInto("web_logins")
      .values({
        state: login.state,
        nonce: login.nonce,
        code_verifier: this.box.seal(login.codeVerifier, loginContext(login.state)),
        return_to: login.returnTo,
        created_at: login.createdAt,
        max_age_ms: login.maxAgeMs,
      })
      .execute();
  }

  /** The login under way with this state, removed as it is taken: a state works once. */
  async takeLogin(state: string): Promise<WebLogin | undefined> {
    const row = await this.db.selectFrom("web_logins").selectAll().where("state", "=", state).executeTakeFirst();
    if (!row) return undefined;
    await this.db.deleteFrom("web_logins").where("state", "=", state).execute();
    let codeVerifier: string;
    try {
      codeVerifier = this.box.open(row.code_verifier, loginContext(row.state));
    } catch (error) {
      // Begun before verifiers were sealed (or under another secret key): it starts again.
      if (error instanceof SecretBoxError) return undefined;
      throw error;
    }
    return {
      state: row.state,
      nonce: row.nonce,
      codeVerifier,
      returnTo: row.return_to,
      createdAt: toMillis(row.created_at),
      maxAgeMs: toMillisOrNull(row.max_age_ms),
    };
  }

  async insertLink(link: { digest: string; email: string; createdAt: number; expiresAt: number }): Promise<void> {
    await this.db
      .insertInto("sign_in_links")
      .values({ digest: link.digest, email: link.email, created_at: link.createdAt, expires_at: link.expiresAt, used_at: null })
      .execute();
  }

  /** Uses a sign-in link: its email when it was unused and unexpired, else undefined. A link works once. */
  async useLink(digest: string, now: number): Promise<string | undefined> {
    const row = await this.db.selectFrom("sign_in_links").selectAll().where("digest", "=", digest).executeTakeFirst();
    if (!row || row.used_at !== null || toMillis(row.expires_at) <= now) return undefined;
    const result = await this.db
      .updateTable("sign_in_links")
      .set({ used_at: now })
      .where("digest", "=", digest)
      .where("used_at", "is", null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n ? row.email : undefined;
  }

  async insertChallenge(challenge: { challenge: string; sessionId: string; purpose: PasskeyCeremony; createdAt: number }): Promise<void> {
    await this.db
      .insertInto("passkey_challenges")
      .values({
        challenge: challenge.challenge,
        session_id: challenge.sessionId,
        purpose: challenge.purpose,
        created_at: challenge.createdAt,
      })
      .execute();
  }

  /**
   * Takes the challenge a session was given for a ceremony, removing it: a challenge works
   * once, only for the session and the ceremony it was made for. Undefined when there is none.
   */
  async takeChallenge(sessionId: string, purpose: PasskeyCeremony, challenge: string): Promise<{ createdAt: number } | undefined> {
    const row = await this.db
      .selectFrom("passkey_challenges")
      .selectAll()
      .where("challenge", "=", challenge)
      .where("session_id", "=", sessionId)
      .where("purpose", "=", purpose)
      .executeTakeFirst();
    if (!row) return undefined;
    await this.db.deleteFrom("passkey_challenges").where("challenge", "=", challenge).execute();
    return { createdAt: toMillis(row.created_at) };
  }

  /** Forgets ended sessions, stale logins and old links. */
  async prune(now: number, loginMaxAgeMs: number): Promise<number> {
    const sessions = await this.db.deleteFrom("web_sessions").where("expires_at", "<", now).executeTakeFirst();
    const logins = await this.db
      .deleteFrom("web_logins")
      .where("created_at", "<", now - loginMaxAgeMs)
      .executeTakeFirst();
    const links = await this.db.deleteFrom("sign_in_links").where("expires_at", "<", now).executeTakeFirst();
    const challenges = await this.db
      .deleteFrom("passkey_challenges")
      .where("created_at", "<", now - loginMaxAgeMs)
      .executeTakeFirst();
    return Number(sessions.numDeletedRows + logins.numDeletedRows + links.numDeletedRows + challenges.numDeletedRows);
  }
}

function loginContext(state: string): string {
  return `web-login:${state}`;
}
