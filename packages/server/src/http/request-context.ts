import type { FastifyRequest } from "fastify";
import type { Actor } from "../domain/actor.js";
import { DomainError } from "../domain/errors.js";
import type { ActorContext, Context, Services } from "../services/runtime/context.js";
import { enterSpace } from "../services/identity/enter-space.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the authentication hook on every route that is not public. */
    actor?: Actor;
  }
  interface FastifyContextConfig {
    /** Routes that need no token: health, the OpenAPI document, the JWKS, the token exchange. */
    public?: boolean;
  }
}

/** The context of a request that acts outside any one space (listing or creating spaces). */
export function actorContextFor(request: FastifyRequest, services: Services): ActorContext {
  if (!request.actor) throw new DomainError("UNAUTHENTICATED", "this route needs a bearer token");
  return { ...services, actor: request.actor, requestId: String(request.id) };
}

/** The service context of a request in a space: the space (from the URL), the actor and its roles there. */
export async function contextFor(request: FastifyRequest, services: Services, spaceName: string): Promise<Context> {
  return enterSpace({ ctx: actorContextFor(request, services), spaceName });
}
