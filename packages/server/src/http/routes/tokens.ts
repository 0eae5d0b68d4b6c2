import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { createToken, listTokens, mintUserToken, revokeToken } from "../../services/identity/manage-tokens.js";
import { contextFor } from "../request-context.js";
import type { RouteOptions } from "./petitions.js";
import { EmptyOut, SpaceParams, withErrors } from "../../contract/common.js";
import {
  CreateTokenBody,
  ListTokensOut,
  ListTokensQuery,
  MintUserTokenBody,
  TokenOut,
  TokenParams,
  UserTokenOut,
} from "../../contract/tokens.js";

export const tokenRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.get(
    "/v1/spaces/:space/tokens",
    {
      schema: {
        tags: ["tokens"],
        summary: "List tokens (never their secrets)",
        params: SpaceParams,
        querystring: ListTokensQuery,
        response: withErrors({ 200: ListTokensOut }),
      },
    },
    async (request) => listTokens({ ctx: await contextFor(request, services, request.params.space), query: request.query }),
  );

  app.post(
    "/v1/spaces/:space/tokens",
    {
      schema: {
        tags: ["tokens"],
        summary: "Create a refresh token for a service account; the answer is the only time it is shown",
        params: SpaceParams,
        body: CreateTokenBody,
        response: withErrors({ 201: TokenOut }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createToken({ ctx: await contextFor(request, services, request.params.space), input: request.body })),
  );

  app.delete(
    "/v1/spaces/:space/tokens/:token",
    {
      schema: {
        tags: ["tokens"],
        summary: "Revoke a token: it stops working at once, as do access tokens made from it",
        params: TokenParams,
        response: withErrors({ 200: EmptyOut }),
      },
    },
    async (request) => {
      await revokeToken({ ctx: await contextFor(request, services, request.params.space), name: request.params.token });
      return {};
    },
  );

  app.post(
    "/v1/spaces/:space/userTokens",
    {
      schema: {
        tags: ["tokens"],
        summary: "Mint a short-lived access token for a person (sub = their email)",
        params: SpaceParams,
        body: MintUserTokenBody,
        response: withErrors({ 201: UserTokenOut }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await mintUserToken({ ctx: await contextFor(request, services, request.params.space), input: request.body })),
  );
};
