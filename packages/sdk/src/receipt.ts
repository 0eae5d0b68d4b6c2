import { operationHash, type Operation } from "./operation.js";
import type { ReceiptStatus } from "./types.js";

/** The JOSE `typ` of a receipt, so no other token of the server passes for one. */
export const RECEIPT_TYPE = "greenlight-receipt+jwt";

/** What a receipt says: one operation, approved by whom, under which policy, until when. */
export interface ReceiptClaims {
  /** The server that signed it. */
  iss: string;
  /** The petition that was granted. */
  sub: string;
  /** The space, by name. */
  space: string;
  /** SHA-256 (hex) of the canonical JSON of `{tool, arguments}`. */
  op: string;
  tool: string;
  /** Who approved: emails, or the kind and id of non-people (automatic approvals name their rule). */
  approvers: string[];
  /** The version of the space's policy the petition was decided under; null when it had none. */
  policyVersion: number | null;
  /** When the grant ends (seconds since the epoch); absent for a grant until revoked. */
  grantExp?: number;
  iat: number;
  /** When the receipt stops being valid (seconds since the epoch); never after the grant. */
  exp: number;
  jti: string;
}

/** Why a receipt was refused. */
export type ReceiptFailure =
  | "malformed"
  | "wrong-type"
  | "unknown-key"
  | "bad-signature"
  | "expired"
  | "not-yet-valid"
  | "wrong-issuer"
  | "wrong-space"
  | "wrong-operation"
  | "revoked";

/**
 * A receipt that did not verify; `reason` says why, for code, and the message for people.
 *
 * @example
 * try { await verifyReceipt(receipt, expected) } catch (err) {
 *   if (err instanceof ReceiptError && err.reason === "expired") await askAgain();
 * }
 */
export class ReceiptError extends Error {
  override readonly name = "ReceiptError";
  constructor(
    readonly reason: ReceiptFailure,
    message: string,
  ) {
    super(message);
  }
}

/** A public key as a JWKS publishes it. */
export interface PublicJwk {
  kty: string;
  kid?: string;
  crv?: string;
  x?: string;
  y?: string;
  alg?: string;
}

export interface VerifyReceiptOptions extends Operation {
  /** The space the operation runs in: a receipt from another space is refused. */
  space: string;
  /**
   * The server's public keys (`GET /v1/auth/keys`), fetched once and kept, or a function
   * that returns them (called on each verification: let it cache).
   */
  keys: { keys: PublicJwk[] } | (() => Promise<{ keys: PublicJwk[] }>);
  /** The expected issuer (the server's URL); not checked when left out. */
  issuer?: string;
  /** The time to check against, in ms; now by default. */
  now?: number;
  /** Allowed difference between clocks, in seconds (default 5). */
  clockToleranceS?: number;
  /**
   * Also ask the server whether the approval still holds now (a client of the receipt's
   * space, such as a `GreenlightAPI`). Offline, a receipt holds until it expires, minutes at
   * most, even if its petition was revoked since; online, a revoked or expired grant is
   * refused at once (`revoked`).
   */
  online?: { petition: { checkReceipt(receipt: string): Promise<ReceiptStatus> } };
}

/**
 * Checks an approval receipt before acting on it, offline: its ES256 signature against the
 * server's published keys, that it is a receipt, that it is for this space and for exactly
 * this tool and these arguments, and that it has not expired. With `online`, it then asks the
 * server whether the approval still holds (the petition not revoked or expired since the
 * receipt was issued). Returns the claims, or throws a `ReceiptError` saying what is wrong.
 *
 * @example
 * import { verifyReceipt } from "@greenlight/sdk";
 * const keys = await fetch(`${serverUrl}/v1/auth/keys`).then((r) => r.json());
 * const claims = await verifyReceipt(receipt, { keys, space: "default", tool: "delete_project", arguments: { id } });
 * console.log(`approved by ${claims.approvers.join(", ")}`);
 */
export async function verifyReceipt(receipt: string, options: VerifyReceiptOptions): Promise<ReceiptClaims> {
  const parts = receipt.split(".");
  if (parts.length !== 3) throw new ReceiptError("malformed", "the receipt is not a JWT (three dot-separated parts)");
  const [headerText, payloadText, signatureText] = parts as [string, string, string];
  const header = decodeJson(headerText, "header");
  const claims = decodeJson(payloadText, "payload");
  if (header.typ !== RECEIPT_TYPE) throw new ReceiptError("wrong-type", `the token is not an approval receipt (typ ${String(header.typ)})`);
  if (header.alg !== "ES256") throw new ReceiptError("wrong-type", `the receipt must be signed with ES256, not ${String(header.alg)}`);

  const kid = typeof header.kid === "string" ? header.kid : undefined;
  const keySet = typeof options.keys === "function" ? await options.keys() : options.keys;
  const jwk = keySet.keys.find((key) => key.kid === kid && key.kty === "EC" && key.crv === "P-256");
  if (!jwk) throw new ReceiptError("unknown-key", `the receipt was signed with a key (${kid ?? "no kid"}) that the given keys do not hold`);
  const key = await crypto.subtle.importKey(
    "jwk",
    { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y },
    { name: "ECDSA", namedCurve: "P-256" },
    false,
    ["verify"],
  );
  let signature: Uint8Array;
  try {
    signature = base64UrlBytes(signatureText);
  } catch {
    throw new ReceiptError("malformed", "the receipt's signature is not base64url");
  }
  const valid = await crypto.subtle.verify(
    { name: "ECDSA", hash: "SHA-256" },
    key,
    signature as Uint8Array<ArrayBuffer>,
    new TextEncoder().encode(`${headerText}.${payloadText}`),
  );
  if (!valid) throw new ReceiptError("bad-signature", "the receipt's signature does not verify with the server's key");

  const checked = checkClaims(claims);
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const tolerance = options.clockToleranceS ?? 5;
  if (checked.exp + tolerance <= now) {
    throw new ReceiptError("expired", `the receipt expired at ${new Date(checked.exp * 1000).toISOString()}; ask for a new one`);
  }
  if (checked.iat - tolerance > now) throw new ReceiptError("not-yet-valid", "the receipt was issued in the future; check the clocks");
  if (options.issuer !== undefined && checked.iss !== options.issuer) {
    throw new ReceiptError("wrong-issuer", `the receipt was issued by ${checked.iss}, not ${options.issuer}`);
  }
  if (checked.space !== options.space) {
    throw new ReceiptError("wrong-space", `the receipt is for space ${checked.space}, not ${options.space}`);
  }
  const expected = await operationHash(options);
  if (checked.op !== expected) {
    throw new ReceiptError(
      "wrong-operation",
      `the receipt approves another operation than ${options.tool} with these arguments (its hash ${checked.op}, theirs ${expected})`,
    );
  }
  if (options.online) {
    const status = await options.online.petition.checkReceipt(receipt);
    if (!status.active) {
      throw new ReceiptError(
        status.reason === "expired" ? "expired" : "revoked",
        `the server no longer holds this approval (${status.reason}${status.petitionName ? `, petition ${status.petitionName}` : ""}); ask for approval again`,
      );
    }
  }
  return checked;
}

function checkClaims(claims: Record<string, unknown>): ReceiptClaims {
  const { iss, sub, space, op, tool, approvers, policyVersion, grantExp, iat, exp, jti } = claims;
  if (
    typeof iss !== "string" ||
    typeof sub !== "string" ||
    typeof space !== "string" ||
    typeof op !== "string" ||
    typeof tool !== "string" ||
    !Array.isArray(approvers) ||
    !approvers.every((a) => typeof a === "string") ||
    !(policyVersion === null || typeof policyVersion === "number") ||
    !(grantExp === undefined || typeof grantExp === "number") ||
    typeof iat !== "number" ||
    typeof exp !== "number" ||
    typeof jti !== "string"
  ) {
    throw new ReceiptError("malformed", "the receipt lacks the claims a receipt carries");
  }
  return {
    iss,
    sub,
    space,
    op,
    tool,
    approvers: approvers as string[],
    policyVersion,
    ...(grantExp === undefined ? {} : { grantExp }),
    iat,
    exp,
    jti,
  };
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(base64UrlBytes(part)));
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ReceiptError("malformed", `the receipt's ${what} is not base64url JSON`);
}

function base64UrlBytes(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new TypeError("not base64url");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
