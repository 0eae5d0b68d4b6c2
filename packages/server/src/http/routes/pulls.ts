import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  createPullPolicy,
  deletePullPolicy,
  getPullPolicy,
  listPullPolicies,
  runPullPolicyNow,
  updatePullPolicy,
} from "../../services/catalog/manage-pull-policies.js";
import { pullResources } from "../../services/catalog/pull-resources.js";
import { contextFor } from "../request-context.js";
import type { RouteOptions } from "./petitions.js";
import { EmptyOut, SpaceParams, withErrors } from "../../contract/common.js";
import {
  ListPullPoliciesOut,
  PullPolicyBody,
  PullPolicyOut,
  PullPolicyParams,
  PullUpdateBody,
  PullUpdateOut,
} from "../../contract/pulls.js";

/** PullUpdate (resources from the space's pull webhooks) and the pull policies that schedule it. */
export const pullRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  // Indent's API says PUT; POST is taken too, as for bulkUpdate.
  for (const method of ["PUT", "POST"] as const) {
    app.route({
      method,
      url: "/v1/spaces/:space/resources::pullUpdate",
      schema: {
        tags: ["resources"],
        summary: "Ask the pullUpdate webhooks for resources of some kinds, and create or update what they return",
        params: SpaceParams,
        body: PullUpdateBody,
        response: withErrors({ 200: PullUpdateOut }),
      },
      handler: async (request) =>
        pullResources({
          ctx: await contextFor(request, services, request.params.space),
          kinds: request.body.kinds,
          ...(request.body.flags ? { flags: request.body.flags } : {}),
        }),
    });
  }

  const tags = ["resources"];
  app.get(
    "/v1/spaces/:space/pullPolicies",
    { schema: { tags, summary: "List pull policies", params: SpaceParams, response: withErrors({ 200: ListPullPoliciesOut }) } },
    async (request) => listPullPolicies({ ctx: await contextFor(request, services, request.params.space) }),
  );
  app.post(
    "/v1/spaces/:space/pullPolicies",
    {
      schema: {
        tags,
        summary: "Create a pull policy: a PullUpdate of some kinds on a schedule",
        params: SpaceParams,
        body: PullPolicyBody,
        response: withErrors({ 201: PullPolicyOut }),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createPullPolicy({ ctx: await contextFor(request, services, request.params.space), input: request.body.pullPolicy })),
  );
  app.get(
    "/v1/spaces/:space/pullPolicies/:policy",
    {
      schema: {
        tags,
        summary: "Get a pull policy and its last run",
        params: PullPolicyParams,
        response: withErrors({ 200: PullPolicyOut }),
      },
    },
    async (request) => getPullPolicy({ ctx: await contextFor(request, services, request.params.space), name: request.params.policy }),
  );
  app.put(
    "/v1/spaces/:space/pullPolicies/:policy",
    {
      schema: {
        tags,
        summary: "Replace a pull policy",
        params: PullPolicyParams,
        body: PullPolicyBody,
        response: withErrors({ 200: PullPolicyOut }),
      },
    },
    async (request) =>
      updatePullPolicy({
        ctx: await contextFor(request, services, request.params.space),
        name: request.params.policy,
        input: request.body.pullPolicy,
      }),
  );
  app.delete(
    "/v1/spaces/:space/pullPolicies/:policy",
    { schema: { tags, summary: "Delete a pull policy", params: PullPolicyParams, response: withErrors({ 200: EmptyOut }) } },
    async (request) => {
      await deletePullPolicy({ ctx: await contextFor(request, services, request.params.space), name: request.params.policy });
      return {};
    },
  );
  app.post(
    "/v1/spaces/:space/pullPolicies/:policy(^[a-z0-9][a-z0-9._-]*)::run",
    {
      schema: {
        tags,
        summary: "Run a pull policy now; its schedule goes on as before",
        params: PullPolicyParams,
        response: withErrors({ 200: PullPolicyOut }),
      },
    },
    async (request) => runPullPolicyNow({ ctx: await contextFor(request, services, request.params.space), name: request.params.policy }),
  );
};
