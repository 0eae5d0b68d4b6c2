import type { FastifyRequest } from "fastify";
import type { Actor } from "../domain/actor.js";
import { DomainError } from "../domain/errors.js";
import type { Context, Services } from "../services/context.js";
import { resolveSpace } from "../services/resolve-space.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the authentication hook on every route that is not public. */
    actor?: Actor;
  }
  interface FastifyContextConfig {
    /** Routes that need no token: health and the OpenAPI document. */
    public?: boolean;
  }
}

/** The service context of a request: its space (from the URL), its actor and its id. */
export async function contextFor(request: FastifyRequest, services: Services, spaceName: string): Promise<Context> {
  if (!request.actor) throw new DomainError("UNAUTHENTICATED", "this route needs a bearer token");
  const space = await resolveSpace(services, spaceName);
  return { ...services, space, actor: request.actor, requestId: String(request.id) };
}
