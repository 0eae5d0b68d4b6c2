import { Metrics } from "../services/runtime/metrics.js";
import { auditRoutes } from "./routes/audit.js";
import { metricsRoutes } from "./routes/metrics.js";
import swagger from "@fastify/swagger";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { DomainError, isDomainError } from "../domain/errors.js";
import { newId } from "../domain/ids.js";
import { authenticate } from "../services/identity/authenticate.js";
import type { Services } from "../services/runtime/context.js";
import { camelizeKeys } from "./case.js";
import { errorEnvelope, handleError } from "./errors.js";
import { acceptJsonBodiesOnly } from "./json-body.js";
import { registerRateLimits, type RateLimitOptions } from "./rate-limits.js";
import { authRoutes } from "./routes/auth.js";
import { claimRoutes } from "./routes/claims.js";
import { deliveryRoutes } from "./routes/deliveries.js";
import { grantRoutes } from "./routes/grants.js";
import { groupRoutes } from "./routes/groups.js";
import { onCallProviderRoutes } from "./routes/oncall-providers.js";
import { petitionRoutes } from "./routes/petitions.js";
import { receiptRoutes } from "./routes/receipts.js";
import { policyRoutes } from "./routes/policies.js";
import { pullRoutes } from "./routes/pulls.js";
import { resourceRoutes } from "./routes/resources.js";
import { serviceAccountRoutes } from "./routes/service-accounts.js";
import { spaceRoutes } from "./routes/spaces.js";
import { subscriptionRoutes } from "./routes/subscriptions.js";
import { systemRoutes } from "./routes/system.js";
import { tokenRoutes } from "./routes/tokens.js";
import { webhookRoutes } from "./routes/webhooks.js";
import { slackConfigRoutes } from "./routes/slack-config.js";
import { slackEndpoints } from "../slack/endpoint.js";
import type { WebSignInSettings } from "../services/identity/web-sign-in.js";
import { webAuthRoutes } from "./routes/web-auth.js";
import { isPageRequest, sendPage, serveWebUi } from "./web-ui.js";
import { serializerCompiler } from "./serialization.js";
import { validatorCompiler } from "./validation.js";
import { openApiOptions } from "./openapi.js";

export interface AppOptions {
  services: Services;
  logger: FastifyBaseLogger | false;
  maxBodyBytes: number;
  rateLimits: RateLimitOptions;
  /** Fastify's trustProxy: which proxies may tell the client's address (X-Forwarded-For). */
  trustProxy: boolean | number | string[];
  wait: { defaultMs: number; maxMs: number };
  /** Aborted when the server stops, so held requests answer at once. */
  shutdown: AbortSignal;
  version: string;
  /** Signing in in the browser. */
  signIn: WebSignInSettings;
}

/**
 * The HTTP API: authentication, case conversion and validation on the way in, one error
 * envelope on the way out, and thin routes that call services.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger === false ? undefined : options.logger,
    logger: options.logger === false ? false : undefined,
    bodyLimit: options.maxBodyBytes,
    genReqId: () => newId("req", options.services.clock.now()),
    // Per-request lines would double the work of every request; failures are logged below.
    logController: new LogController({ requestIdLogLabel: "requestId", disableRequestLogging: true }),
    return503OnClosing: true,
    // Long-polls hold connections for up to the wait cap; keep-alive sockets outlast them.
    keepAliveTimeout: 75_000,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
    // Errors the router raises before any hook runs (a malformed URL) get the same envelope.
    frameworkErrors: (error, request, reply) => {
      void reply.header("x-request-id", request.id);
      handleError(error, request, reply);
    },
    // A hop count trusts that many proxies nearest the server.
    trustProxy: typeof options.trustProxy === "number" ? trustHops(options.trustProxy) : options.trustProxy,
  }).withTypeProvider<TypeBoxTypeProvider>();

  acceptJsonBodiesOnly(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    // A page of the web UI, which routes itself.
    if (isPageRequest(request)) return sendPage(reply);
    const error = new DomainError(
      "NOT_FOUND",
      `no route for ${request.method} ${request.url.split("?")[0]}; the API is described at /openapi.json`,
    );
    void reply.status(404).send(errorEnvelope(error, String(request.id)));
  });

  const metrics = new Metrics(options.services);
  app.addHook("onResponse", async (request, reply) => {
    metrics.observeRequest(request.method, request.routeOptions.url ?? "(no route)", reply.statusCode, reply.elapsedTime / 1000);
  });

  const limits = await registerRateLimits(app, options.rateLimits);
  const authFailures = limits.authFailures;
  app.addHook("onRequest", async (request, reply) => {
    void reply.header("x-request-id", request.id);
    if (request.routeOptions.config.public || !request.routeOptions.url) return;
    await authFailures.check(request, reply);
    try {
      request.actor = await authenticate({ services: options.services, authorization: request.headers.authorization });
    } catch (error) {
      if (isDomainError(error) && error.code === "UNAUTHENTICATED") await authFailures.record(request);
      throw error;
    }
  });
  app.addHook("preValidation", async (request) => {
    if (request.body !== undefined) request.body = camelizeKeys(request.body);
    if (request.query && typeof request.query === "object") request.query = camelizeKeys(request.query) as typeof request.query;
  });
  // A callback hook, not an async one: it runs on every response, and needs no promise.
  app.addHook("onResponse", (request, reply, done) => {
    if (reply.statusCode >= 500) request.log.warn({ method: request.method, url: request.url, status: reply.statusCode }, "request failed");
    done();
  });

  await app.register(swagger, openApiOptions(options.version));

  const routeOptions = { services: options.services, shutdown: options.shutdown, waitLimits: options.wait };
  await app.register(systemRoutes);
  await app.register(petitionRoutes, routeOptions);
  await app.register(receiptRoutes, routeOptions);
  await app.register(claimRoutes, routeOptions);
  await app.register(grantRoutes, routeOptions);
  await app.register(resourceRoutes, routeOptions);
  await app.register(spaceRoutes, routeOptions);
  await app.register(groupRoutes, routeOptions);
  await app.register(serviceAccountRoutes, routeOptions);
  await app.register(tokenRoutes, routeOptions);
  await app.register(policyRoutes, routeOptions);
  await app.register(onCallProviderRoutes, routeOptions);
  await app.register(webhookRoutes, routeOptions);
  await app.register(subscriptionRoutes, routeOptions);
  await app.register(deliveryRoutes, routeOptions);
  await app.register(pullRoutes, routeOptions);
  await app.register(slackConfigRoutes, routeOptions);
  await app.register(auditRoutes, { services: options.services, limits });
  await app.register(metricsRoutes, { services: options.services, metrics });
  await app.register(slackEndpoints, { services: options.services, limits });
  await app.register(webAuthRoutes, { services: options.services, settings: options.signIn, limits });
  await serveWebUi(app);
  await app.register(authRoutes, { services: options.services, limits, exchangesPerMinute: options.rateLimits.exchangesPerMinute });
  return app;
}

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}
