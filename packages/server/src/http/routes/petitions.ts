import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { nanosToMillis, parseGoDuration } from "../../domain/duration.js";
import { invalidArgument } from "../../domain/errors.js";
import type { Context, Services } from "../../services/runtime/context.js";
import { createPetition, preparePetition, type CreatePetitionResult } from "../../services/petitions/create-petition.js";
import { deletePetition } from "../../services/petitions/delete-petition.js";
import { extendPetition, prepareExtension } from "../../services/petitions/extend-petition.js";
import { getPetition } from "../../services/petitions/get-petition.js";
import { withIdempotencyKeyPrepared } from "../../services/runtime/idempotency.js";
import { listPetitions } from "../../services/petitions/list-petitions.js";
import { previewPetition } from "../../services/petitions/preview-petition.js";
import { updatePetition } from "../../services/petitions/update-petition.js";
import { waitForDecision } from "../../services/petitions/wait-for-decision.js";
import { contextFor } from "../request-context.js";
import { idempotencyOf, idempotentWrite, markReplay } from "./idempotent-reply.js";
import { SpaceParams, withErrors } from "../../contract/common.js";
import {
  CreatePetitionBody,
  ExtendPetitionBody,
  GetPetitionQuery,
  ListPetitionsOut,
  ListPetitionsQuery,
  PetitionOut,
  PetitionParams,
  PetitionPreviewOut,
  PreviewPetitionBody,
  UpdatePetitionBody,
} from "../../contract/petitions.js";

export interface RouteOptions {
  services: Services;
  /** Aborted when the server is stopping, so held requests answer at once. */
  shutdown: AbortSignal;
  waitLimits: { defaultMs: number; maxMs: number };
}

export const petitionRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services, shutdown, waitLimits }) => {
  app.get(
    "/v1/spaces/:space/petitions",
    {
      schema: {
        tags: ["petitions"],
        summary: "List petitions",
        description:
          "With awaiting=me or reviewedBy=me the petitions are tested one by one against each one's review plan; a page may then hold fewer than pageSize and still have a nextPageToken. With petitioner=me only petitions naming the caller as a petitioner are listed, found through the database's index, however many others there are.",
        params: SpaceParams,
        querystring: ListPetitionsQuery,
        response: withErrors({ 200: ListPetitionsOut }),
      },
    },
    async (request) => listPetitions({ ctx: await contextFor(request, services, request.params.space), query: request.query }),
  );

  app.post(
    "/v1/spaces/:space/petitions",
    {
      schema: {
        tags: ["petitions"],
        summary: "Create a petition (or return the identical open or granted one)",
        description:
          "Returns 201 with a new petition, or 200 with the open or granted petition that already asks for the same access. Send an Idempotency-Key header to make retries safe.",
        params: SpaceParams,
        body: CreatePetitionBody,
        response: withErrors({ 200: PetitionOut, 201: PetitionOut }),
      },
    },
    async (request, reply) =>
      petitionMade(request, reply, await contextFor(request, services, request.params.space), {
        prepare: (outer) => preparePetition({ ctx: outer, input: request.body.petition }),
        run: (inner, prepared) => createPetition({ ctx: inner, input: request.body.petition, prepared }),
      }),
  );

  // `::` is a literal colon to Fastify: the custom verb `petitions:preview`.
  app.post(
    "/v1/spaces/:space/petitions::preview",
    {
      schema: {
        tags: ["petitions"],
        summary: "What a petition would get if it were made now, without making it",
        description:
          "Takes the body create takes and answers with the review its plan would ask for (state.review: durations allowed, steps and their reviewers, high risk) and whether a rule would approve or deny it at once. The caller must be allowed to create it. Nothing is saved; on-call providers and decision webhooks are not asked.",
        params: SpaceParams,
        body: PreviewPetitionBody,
        response: withErrors({ 200: PetitionPreviewOut }),
      },
    },
    async (request) => previewPetition({ ctx: await contextFor(request, services, request.params.space), input: request.body.petition }),
  );

  app.post(
    // The regular expression ends the name at the colon that starts the custom verb.
    "/v1/spaces/:space/petitions/:petition(^[^:/]+)::extend",
    {
      schema: {
        tags: ["petitions"],
        summary: "Extend a granted petition: a new petition for the same access (or the extension already asked for)",
        description:
          "Creates a petition with the same petitioners and resources, labelled greenlight.dev/extends with the petition it extends, asking for the duration given, and decided under the policy like any petition. Returns 201 with it, or 200 with the extension of this petition already open or granted. The caller must be allowed to create that petition. 409 when the petition is not granted. Send an Idempotency-Key header to make retries safe.",
        params: PetitionParams,
        body: ExtendPetitionBody,
        response: withErrors({ 200: PetitionOut, 201: PetitionOut }),
      },
    },
    async (request, reply) => {
      const { petition: name } = request.params;
      return petitionMade(request, reply, await contextFor(request, services, request.params.space), {
        prepare: (outer) => prepareExtension({ ctx: outer, name, body: request.body }),
        run: (inner, prepared) => extendPetition({ ctx: inner, name, body: request.body, prepared }),
      });
    },
  );

  app.get(
    "/v1/spaces/:space/petitions/:petition",
    {
      schema: {
        tags: ["petitions"],
        summary: "Get a petition; with waitFor=decision, wait until it is decided",
        description:
          "With waitFor=decision the request is held until the petition leaves open or the timeout passes (default and cap set by the server), then answers with the petition as it is. It answers at once if the petition is already decided.",
        params: PetitionParams,
        querystring: GetPetitionQuery,
        response: withErrors({ 200: PetitionOut }),
      },
    },
    async (request, reply) => {
      const ctx = await contextFor(request, services, request.params.space);
      if (request.query.waitFor !== "decision") return getPetition({ ctx, name: request.params.petition });
      const timeoutMs = Math.min(parseTimeout(request.query.timeout, waitLimits.defaultMs), waitLimits.maxMs);
      // Stop waiting if the client goes away. The listener goes once the wait is over: the
      // socket closing after a normal answer must not abort anything (an abort builds a
      // DOMException with a stack, which a thousand released waiters would pay for).
      const clientGone = new AbortController();
      const onClose = () => clientGone.abort();
      reply.raw.once("close", onClose);
      let petition: PetitionOut;
      try {
        petition = await waitForDecision({
          ctx,
          name: request.params.petition,
          timeoutMs,
          signal: AbortSignal.any([clientGone.signal, shutdown]),
        });
      } finally {
        reply.raw.off("close", onClose);
      }
      // The waiters woken together send one string: the reply's own serializer hands it over.
      return reply
        .type("application/json")
        .serializer(() => serializedOnce(petition))
        .send(petition);
    },
  );

  app.put(
    "/v1/spaces/:space/petitions/:petition",
    {
      schema: {
        tags: ["petitions"],
        summary: "Update a petition: close it (state.status.phase = closed) or change its labels",
        params: PetitionParams,
        body: UpdatePetitionBody,
        response: withErrors({ 200: PetitionOut }),
      },
    },
    async (request, reply) => {
      const ctx = await contextFor(request, services, request.params.space);
      const result = await idempotentWrite(request, reply, ctx, "PUT", 200, async (inner) =>
        updatePetition({ ctx: inner, name: request.params.petition, input: request.body.petition }),
      );
      return reply.code(result.statusCode).send(result.body);
    },
  );

  app.delete(
    "/v1/spaces/:space/petitions/:petition",
    {
      schema: {
        tags: ["petitions"],
        summary: "Delete a petition: close it (revoking any access) and hide it from lists",
        params: PetitionParams,
        response: withErrors({ 200: PetitionOut }),
      },
    },
    async (request) => deletePetition({ ctx: await contextFor(request, services, request.params.space), name: request.params.petition }),
  );
};

/**
 * Answers a request that makes a petition, or finds the live one that already asks for it:
 * 201 or 200, under the request's Idempotency-Key. Deciding may call on-call providers and
 * decision webhooks: `prepare` does that first, outside the transaction that stores the
 * Idempotency-Key's answer with the petition.
 */
async function petitionMade<P>(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: Context,
  steps: { prepare: (ctx: Context) => Promise<P>; run: (ctx: Context, prepared: P) => Promise<CreatePetitionResult> },
): Promise<FastifyReply> {
  const result = await withIdempotencyKeyPrepared({
    ctx,
    idempotency: idempotencyOf(request, "POST"),
    prepare: steps.prepare,
    run: async (inner, prepared) => {
      const { petition, created } = await steps.run(inner, prepared);
      return { statusCode: created ? 201 : 200, body: petition };
    },
  });
  markReplay(reply, result);
  return reply.code(result.statusCode).send(result.body);
}

/**
 * Waiters woken by one decision share one read of the petition (one object), so its JSON is
 * written once for all of them rather than once each.
 */
const serialized = new WeakMap<PetitionOut, string>();

function serializedOnce(petition: PetitionOut): string {
  let json = serialized.get(petition);
  if (json === undefined) {
    json = JSON.stringify(petition);
    serialized.set(petition, json);
  }
  return json;
}

/** `30s`, `1m` (Go durations) or `30` (seconds). */
function parseTimeout(text: string | undefined, defaultMs: number): number {
  if (text === undefined || text === "") return defaultMs;
  const nanos = /^\d+(\.\d+)?$/.test(text) ? parseGoDuration(`${text}s`, "timeout") : parseGoDuration(text, "timeout");
  if (nanos < 0n) throw invalidArgument('timeout must not be negative; for example "30s"', "timeout");
  return nanosToMillis(nanos);
}
