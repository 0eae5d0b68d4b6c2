import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Readable } from "node:stream";
import { DomainError, invalidArgument } from "../../domain/errors.js";
import { createAuditInput, deleteAuditInput, listAuditInputs, writeAuditEvents } from "../../services/audit/audit-inputs.js";
import { exportAudit, searchAudit, type AuditScope } from "../../services/audit/audit-log.js";
import { listAuditCheckpoints } from "../../services/audit/audit-checkpoints.js";
import { getAuditSettings, putAuditSettings } from "../../services/audit/audit-settings.js";
import { verifyAudit } from "../../services/audit/audit-verify.js";
import type { Services } from "../../services/runtime/context.js";
import type { RateLimits } from "../rate-limits.js";
import { actorContextFor, contextFor } from "../request-context.js";
import {
  AuditExportOut,
  AuditExportQuery,
  AuditListOut,
  AuditQuery,
  AuditSettingsBody,
  AuditSettingsOut,
  CheckpointsOut,
  CheckpointsQuery,
  VerifyOut,
} from "../../contract/audit.js";
import {
  AuditInputBody,
  AuditInputOut,
  AuditInputParams,
  AuditInputsOut,
  InputTargetParams,
  WriteBody,
  WriteOut,
  type IncomingEvent,
} from "../../contract/audit-inputs.js";
import { EmptyOut, SpaceParams, withErrors } from "../../contract/common.js";

export interface AuditRouteOptions {
  services: Services;
  limits: RateLimits;
}

/**
 * The audit log: each space's (`/v1/spaces/{space}/audit…`, for its admins) and the server's
 * (`/v1/audit…`, for the server admin token), searched, exported as a stream, verified; its
 * signed checkpoints and the key that signs them; the inputs applications write through; and
 * Indent's audit write API.
 */
export const auditRoutes: FastifyPluginAsyncTypebox<AuditRouteOptions> = async (app, { services, limits }) => {
  const tags = ["audit"];
  const spaceScope = async (request: FastifyRequest, space: string): Promise<AuditScope> => ({
    kind: "space",
    ctx: await contextFor(request, services, space),
  });
  const serverScope = (request: FastifyRequest): AuditScope => ({ kind: "server", ctx: actorContextFor(request, services) });

  const exportTo = async (scope: AuditScope, query: AuditQuery & { format?: "jsonl" | "csv" }, reply: FastifyReply) => {
    const format = query.format ?? "jsonl";
    const { chain, lines } = exportAudit({ scope, query, format });
    const filename = `audit-${chain.name || "server"}.${format}`;
    reply
      .header("content-type", format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson")
      .header("content-disposition", `attachment; filename="${filename}"`)
      .header("cache-control", "no-store");
    return reply.send(Readable.from(lines));
  };

  for (const [prefix, scopeOf, params] of [
    ["/v1/spaces/:space/audit", (r: FastifyRequest) => spaceScope(r, (r.params as { space: string }).space), SpaceParams],
    ["/v1/audit", async (r: FastifyRequest) => serverScope(r), undefined],
  ] as const) {
    const which = params ? "the space's" : "the server's";
    app.get(
      prefix,
      {
        schema: {
          tags,
          summary: `Search ${which} audit log, newest first`,
          ...(params ? { params } : {}),
          querystring: AuditQuery,
          response: withErrors({ 200: AuditListOut }),
        },
      },
      async (request) => searchAudit({ scope: await scopeOf(request), query: request.query }),
    );
    app.get(
      `${prefix}::export`,
      {
        schema: {
          tags,
          summary: `Export ${which} audit log, oldest first, as JSONL (each line verifiable) or CSV, streamed`,
          ...(params ? { params } : {}),
          querystring: AuditExportQuery,
          // Errors are JSON; the export itself is application/x-ndjson or text/csv.
          response: withErrors({
            200: AuditExportOut,
          }),
        },
      },
      async (request, reply) => exportTo(await scopeOf(request), request.query, reply),
    );
    app.post(
      `${prefix}::verify`,
      {
        schema: {
          tags,
          summary: `Recompute ${which} audit chain and check it against its chained, signed checkpoints; names the first fault`,
          ...(params ? { params } : {}),
          response: withErrors({ 200: VerifyOut }),
        },
      },
      async (request) => verifyAudit({ scope: await scopeOf(request) }),
    );
    app.get(
      `${prefix}/checkpoints`,
      {
        schema: {
          tags,
          summary: `Signed checkpoints of ${which} audit chain, newest first`,
          ...(params ? { params } : {}),
          querystring: CheckpointsQuery,
          response: withErrors({ 200: CheckpointsOut }),
        },
      },
      async (request) => listAuditCheckpoints({ scope: await scopeOf(request), page: request.query }),
    );
  }

  app.get(
    "/v1/audit/keys",
    {
      config: { public: true },
      schema: { tags, summary: "The public keys (JWKS) that verify audit checkpoints", security: [] },
    },
    async () => services.audit.signer.jwks(),
  );

  app.get(
    "/v1/spaces/:space/audit/settings",
    {
      schema: {
        tags,
        summary: "How long the space keeps audit events",
        params: SpaceParams,
        response: withErrors({ 200: AuditSettingsOut }),
      },
    },
    async (request) => getAuditSettings({ ctx: await contextFor(request, services, request.params.space) }),
  );
  app.put(
    "/v1/spaces/:space/audit/settings",
    {
      schema: {
        tags,
        summary: "Set how long the space keeps audit events",
        params: SpaceParams,
        body: AuditSettingsBody,
        response: withErrors({ 200: AuditSettingsOut }),
      },
    },
    async (request) => putAuditSettings({ ctx: await contextFor(request, services, request.params.space), input: request.body.settings }),
  );

  app.get(
    "/v1/spaces/:space/auditInputs",
    {
      schema: {
        tags,
        summary: "The inputs applications write audit events through",
        params: SpaceParams,
        response: withErrors({ 200: AuditInputsOut }),
      },
    },
    async (request) => listAuditInputs({ ctx: await contextFor(request, services, request.params.space) }),
  );
  app.post(
    "/v1/spaces/:space/auditInputs",
    {
      schema: {
        tags,
        summary: "Add an input; its write token is shown once",
        params: SpaceParams,
        body: AuditInputBody,
        response: withErrors({ 201: AuditInputOut }),
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createAuditInput({ ctx: await contextFor(request, services, request.params.space), input: request.body.input })),
  );
  app.delete(
    "/v1/spaces/:space/auditInputs/:provider/:input",
    {
      schema: {
        tags,
        summary: "Remove an input: its token stops working",
        params: AuditInputParams,
        response: withErrors({ 200: EmptyOut }),
      },
    },
    async (request) => {
      await deleteAuditInput({
        ctx: await contextFor(request, services, request.params.space),
        provider: request.params.provider,
        name: request.params.input,
      });
      return {};
    },
  );

  // Indent's audit write API: authenticated by the input's own token, not an API token.
  const writeConfig = { public: true, rateLimit: limits.perAddress(6000) };
  const tokenOf = (request: FastifyRequest) => /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
  // One route for both (`{input}:write` and `{input}:writeBatch`): the router cannot tell two
  // suffixes apart when one begins the other.
  app.post(
    "/v1/inputs/:space/:provider/:target",
    {
      config: writeConfig,
      schema: {
        tags,
        summary:
          "Write events through an input: {input}:write takes one Event, {input}:writeBatch takes {events} (Indent's WriteBatch, and what @indent/audit sends)",
        // The input's own token, not an API token.
        security: [],
        params: InputTargetParams,
        body: WriteBody,
        response: withErrors({ 200: WriteOut }),
      },
    },
    async (request) => {
      const { space, provider, target } = request.params;
      const [input, verb] = splitTarget(target);
      const body = request.body as { events?: unknown[] };
      if (verb === "writeBatch" && !Array.isArray(body.events))
        throw invalidArgument('a :writeBatch body is {"events": [...]}; send one event to :write', "events");
      if (verb === "write" && Array.isArray(body.events))
        throw invalidArgument("a :write body is one event; send {events} to :writeBatch", "events");
      const events = (verb === "write" ? [request.body] : body.events) as IncomingEvent[];
      return writeAuditEvents({ services, target: { space, provider, input }, token: tokenOf(request), events });
    },
  );
};

function splitTarget(target: string): [string, "write" | "writeBatch"] {
  const at = target.lastIndexOf(":");
  const verb = at > 0 ? target.slice(at + 1) : "";
  if (verb !== "write" && verb !== "writeBatch")
    throw new DomainError("NOT_FOUND", `no such route: POST .../${target}; write with {input}:write or {input}:writeBatch`);
  return [target.slice(0, at), verb];
}
