import type { Services } from "../runtime/context.js";
import { resolveSpace } from "./resolve-space.js";
import { operatorSignIn, type WebSignInSettings } from "./web-sign-in.js";

/** Whom the first sign-in link signs in when the operator names no one (`serve --sign-in` does). */
export const FIRST_ADMIN_EMAIL = "admin@localhost";

/**
 * The way into a new server's web UI when no identity provider is set up: while no person
 * (or group) is an admin of the space, a one-time link that signs in `FIRST_ADMIN_EMAIL` as
 * its admin. Making the link makes that person the admin, so in practice a server's first
 * start prints one (and a start after every person admin was removed). The link is for the
 * operator's console alone: it is returned, never logged. Undefined once someone is an admin,
 * or when people sign in with the provider; later links come from the admin token.
 */
export async function firstAdminSignIn({
  services,
  settings,
  spaceName,
}: {
  services: Services;
  settings: WebSignInSettings;
  spaceName: string;
}): Promise<string | undefined> {
  if (settings.oidc !== null) return undefined;
  const space = await resolveSpace(services, spaceName);
  const bindings = await services.store.read.roleBindings.list(space.id);
  const hasPersonAdmin = bindings.some((b) => b.role === "admin" && (b.member.startsWith("user:") || b.member.startsWith("group:")));
  if (hasPersonAdmin) return undefined;
  return operatorSignIn(services, settings, spaceName, FIRST_ADMIN_EMAIL);
}
