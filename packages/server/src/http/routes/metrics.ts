import type { FastifyPluginAsync } from "fastify";
import { DomainError } from "../../domain/errors.js";
import type { Services } from "../../services/runtime/context.js";
import type { Metrics } from "../../services/runtime/metrics.js";
import { actorContextFor } from "../request-context.js";

/** `GET /metrics`, in Prometheus' text format, for the server's admin token (give it to the scraper as a bearer token). */
export const metricsRoutes: FastifyPluginAsync<{ services: Services; metrics: Metrics }> = async (app, { services, metrics }) => {
  app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
    if (actorContextFor(request, services).actor.type !== "admin")
      throw new DomainError("FORBIDDEN", "only the server's admin token reads /metrics");
    return reply.type("text/plain; version=0.0.4; charset=utf-8").send(await metrics.text());
  });
};
