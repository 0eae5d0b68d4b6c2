/**
 * The one way an email address becomes a person's identity. Whatever names a person — an
 * identity provider's verified email, a sign-in link, Slack's `users.info`, a role binding, a
 * minted token — passes through `normalizeEmail` before it is compared with anything.
 *
 * Lower-casing alone is not safe: Unicode case mapping folds some characters onto ASCII ones
 * (the Kelvin sign U+212A lower-cases to `k`, so `bob@o\u212Ata.example` would become
 * `bob@okta.example`), and NFKC folds many more (full-width letters, ligatures). An address is
 * therefore taken only when it is already what NFKC would make it and plain printable ASCII;
 * internationalised domains are written in their ASCII (`xn--`) form, as DNS has them. Only
 * then is it lower-cased, which for ASCII changes A–Z alone.
 */

const ADDRESS = /^[\x21-\x3F\x41-\x7E]+@[\x21-\x3F\x41-\x7E]+$/;
const MAX_LENGTH = 320;

/** The address as Greenlight keys people by it (trimmed, lower-case), or undefined when it is not one it takes. */
export function normalizeEmail(raw: string): string | undefined {
  const address = raw.trim();
  if (address.length === 0 || address.length > MAX_LENGTH) return undefined;
  // NFKC first, so a compatibility character is refused as such even where a later rule would pass it.
  if (address.normalize("NFKC") !== address) return undefined;
  if (!ADDRESS.test(address)) return undefined;
  return address.toLowerCase();
}

/** Why `raw` is not an address `normalizeEmail` takes, for the message that refuses it. */
export function emailProblem(raw: string): string {
  const address = raw.trim();
  if (/[^\x00-\x7F]/.test(address)) {
    return `${JSON.stringify(address.slice(0, 80))} has characters outside ASCII; Greenlight takes only ASCII addresses (a domain in its xn-- form), so that no address can pass for another that looks alike`;
  }
  return `${JSON.stringify(address.slice(0, 80))} is not an email address`;
}
