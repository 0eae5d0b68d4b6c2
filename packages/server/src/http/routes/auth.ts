import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { DomainError, invalidArgument, isDomainError } from "../../domain/errors.js";
import type { Services } from "../../services/runtime/context.js";
import { exchangeToken } from "../../services/identity/exchange-token.js";
import type { RateLimits } from "../rate-limits.js";
import { actorContextFor } from "../request-context.js";
import { JwksOut, RotateKeysBody } from "../../contract/auth.js";
import { withErrors } from "../../contract/common.js";
import { AccessTokenOut, ExchangeTokenBody } from "../../contract/tokens.js";

export interface AuthRouteOptions {
  services: Services;
  limits: RateLimits;
  exchangesPerMinute: number;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export const authRoutes: FastifyPluginAsyncTypebox<AuthRouteOptions> = async (app, { services, limits, exchangesPerMinute }) => {
  /**
   * Exchange as the proto has it (`{grant_type, refresh_token}`, either spelling), or as
   * Indent's JS client wrote it: the refresh token as the bearer, no body, GET or POST.
   */
  const exchange = async (request: FastifyRequest, reply: FastifyReply, body: { grantType?: string; refreshToken?: string }) => {
    if (body.grantType !== undefined && body.grantType !== "refresh_token") {
      throw invalidArgument(`grant_type must be "refresh_token", not ${JSON.stringify(body.grantType.slice(0, 64))}`, "grant_type");
    }
    const refreshToken = body.refreshToken ?? BEARER.exec(request.headers.authorization ?? "")?.[1];
    if (refreshToken === undefined) {
      throw new DomainError(
        "UNAUTHENTICATED",
        "send the refresh token as refresh_token in the body, or as Authorization: Bearer <refresh token>",
      );
    }
    await limits.authFailures.check(request, reply);
    try {
      return await exchangeToken({ services, refreshToken });
    } catch (error) {
      if (isDomainError(error) && error.code === "UNAUTHENTICATED") await limits.authFailures.record(request);
      throw error;
    }
  };
  const config = { public: true, rateLimit: limits.perAddress(exchangesPerMinute) };

  app.post(
    "/v1/auth/token",
    {
      config,
      schema: {
        tags: ["auth"],
        summary: "Exchange a refresh token for a short-lived access token",
        security: [],
        body: ExchangeTokenBody,
        response: withErrors({ 200: AccessTokenOut }),
      },
      // The bearer-header form sends no body at all.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request, reply) => exchange(request, reply, request.body),
  );

  app.get(
    "/v1/auth/token",
    {
      config,
      schema: {
        tags: ["auth"],
        summary: "Exchange the refresh token sent as the bearer for an access token",
        security: [],
        response: withErrors({ 200: AccessTokenOut }),
      },
    },
    async (request, reply) => exchange(request, reply, {}),
  );

  app.get(
    "/v1/auth/keys",
    {
      config: { public: true },
      schema: { tags: ["auth"], summary: "The public keys access tokens are signed with (JWKS)", security: [], response: { 200: JwksOut } },
    },
    async () => services.signer.jwks(),
  );

  app.post(
    "/v1/auth/keys::rotate",
    {
      schema: {
        tags: ["auth"],
        summary:
          "Sign new tokens with a new key (server admin token only); tokens signed before stay valid, unless revokeOtherKeys removes the other keys",
        body: RotateKeysBody,
        response: withErrors({ 200: JwksOut }),
      },
    },
    async (request) => {
      const ctx = actorContextFor(request, services);
      if (ctx.actor.type !== "admin") {
        throw new DomainError("FORBIDDEN", "only the server's admin token may rotate the signing keys");
      }
      await services.signer.rotate(ctx, { revokeOtherKeys: request.body?.revokeOtherKeys ?? false });
      return services.signer.jwks();
    },
  );
};
