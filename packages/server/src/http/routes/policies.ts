import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { explainPolicy } from "../../services/policies/explain-policy.js";
import {
  deletePolicy,
  getPolicy,
  getPolicyVersion,
  listPolicyVersions,
  putPolicy,
  validatePolicy,
} from "../../services/policies/manage-policies.js";
import { replayPolicy } from "../../services/policies/replay-policy.js";
import { contextFor } from "../request-context.js";
import type { RouteOptions } from "./petitions.js";
import { SpaceParams, withErrors } from "../../contract/common.js";
import { ExplainBody, ExplanationOut, ReplayBody, ReplayOut } from "../../contract/explain.js";
import {
  AccessPolicyOut,
  DeletePolicyQuery,
  ListPolicyVersionsOut,
  PolicyVersionParams,
  PolicyVersionsQuery,
  PutPolicyBody,
  ValidatePolicyBody,
  ValidatePolicyOut,
} from "../../contract/policies.js";

/** The space's access policy: read, save (a new version each time), remove, check, explain, replay. */
export const policyRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  const tags = ["policies"];
  app.get(
    "/v1/spaces/:space/policy",
    { schema: { tags, summary: "Get the access policy in force", params: SpaceParams, response: withErrors({ 200: AccessPolicyOut }) } },
    async (request) => getPolicy({ ctx: await contextFor(request, services, request.params.space) }),
  );

  app.put(
    "/v1/spaces/:space/policy",
    {
      schema: {
        tags,
        summary: "Save the access policy (a new version); refused with the place of the first problem",
        description:
          "Petitions already made keep the plan they were made under. With expectedVersion the save is refused (409) if another was saved since.",
        params: SpaceParams,
        body: PutPolicyBody,
        response: withErrors({ 200: AccessPolicyOut }),
      },
    },
    async (request) =>
      putPolicy({
        ctx: await contextFor(request, services, request.params.space),
        document: request.body.policy,
        ...(request.body.expectedVersion === undefined ? {} : { expectedVersion: request.body.expectedVersion }),
      }),
  );

  app.delete(
    "/v1/spaces/:space/policy",
    {
      schema: {
        tags,
        summary: "Remove the access policy: any admin or reviewer approves again",
        params: SpaceParams,
        querystring: DeletePolicyQuery,
        response: withErrors({ 200: AccessPolicyOut }),
      },
    },
    async (request) =>
      deletePolicy({
        ctx: await contextFor(request, services, request.params.space),
        ...(request.query.expectedVersion === undefined ? {} : { expectedVersion: request.query.expectedVersion }),
      }),
  );

  app.get(
    "/v1/spaces/:space/policy/versions",
    {
      schema: {
        tags,
        summary: "List the policy's versions, newest first",
        params: SpaceParams,
        querystring: PolicyVersionsQuery,
        response: withErrors({ 200: ListPolicyVersionsOut }),
      },
    },
    async (request) => listPolicyVersions({ ctx: await contextFor(request, services, request.params.space), query: request.query }),
  );

  app.get(
    "/v1/spaces/:space/policy/versions/:version",
    {
      schema: {
        tags,
        summary: "Get one version of the policy",
        params: PolicyVersionParams,
        response: withErrors({ 200: AccessPolicyOut }),
      },
    },
    async (request) =>
      getPolicyVersion({ ctx: await contextFor(request, services, request.params.space), version: request.params.version }),
  );

  app.post(
    "/v1/spaces/:space/policies::validate",
    {
      schema: {
        tags,
        summary: "Check a policy without saving it",
        params: SpaceParams,
        body: ValidatePolicyBody,
        response: withErrors({ 200: ValidatePolicyOut }),
      },
    },
    async (request) => validatePolicy({ ctx: await contextFor(request, services, request.params.space), document: request.body.policy }),
  );

  app.post(
    "/v1/spaces/:space/policies::explain",
    {
      schema: {
        tags,
        summary: "Explain what the policy (or a draft) does with a petition or a possible request",
        description:
          "Which rules applied to each petitioner and resource and why the others did not, whether it would be approved or denied at once, and who may review it. On-call providers are asked; decision webhooks are listed, not called.",
        params: SpaceParams,
        body: ExplainBody,
        response: withErrors({ 200: ExplanationOut }),
      },
    },
    async (request) => explainPolicy({ ctx: await contextFor(request, services, request.params.space), input: request.body }),
  );

  app.post(
    "/v1/spaces/:space/policies::replay",
    {
      schema: {
        tags,
        summary: "Replay the latest petitions through a draft policy, changing nothing",
        params: SpaceParams,
        body: ReplayBody,
        response: withErrors({ 200: ReplayOut }),
      },
    },
    async (request) =>
      replayPolicy({
        ctx: await contextFor(request, services, request.params.space),
        input: { policy: request.body.policy, ...(request.body.limit === undefined ? {} : { limit: request.body.limit }) },
      }),
  );
};
