import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isDomainError } from "../domain/errors.js";
import type { Services } from "../services/runtime/context.js";
import { receiveSlackRequest, type SlackRequest } from "../services/slack/receive-slack-request.js";
import type { RateLimits } from "../http/rate-limits.js";

/**
 * Where Slack sends a space's interactions (buttons, modals) and its slash command:
 * `POST /v1/slack/{space}/interactions` and `POST /v1/slack/{space}/commands`. Slack
 * authenticates with its signature, not a bearer token, over the exact form body, so the body
 * is kept as it came. The answer comes at once (Slack allows three seconds); the work is done
 * by the delivery job afterwards.
 */
export async function slackEndpoints(app: FastifyInstance, options: { services: Services; limits: RateLimits }): Promise<void> {
  const { services, limits } = options;
  // Slack's form bodies are read as text here only; the rest of the API takes JSON alone.
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => done(null, body));
  const config = { public: true, rateLimit: limits.perAddress(6000) };
  for (const endpoint of ["interactions", "commands"] as const) {
    app.post<{ Params: { space: string }; Body: string }>(
      `/v1/slack/:space/${endpoint}`,
      {
        config,
        schema: {
          tags: ["slack"],
          summary:
            endpoint === "interactions"
              ? "Slack's interactivity requests (signed by Slack)"
              : "Slack's /greenlight slash command (signed by Slack)",
          security: [],
          consumes: ["application/x-www-form-urlencoded"],
        },
      },
      async (request, reply) => answer(services, limits, request, reply, endpoint),
    );
  }
}

async function answer(
  services: Services,
  limits: RateLimits,
  request: FastifyRequest<{ Params: { space: string }; Body: string }>,
  reply: FastifyReply,
  endpoint: SlackRequest["endpoint"],
): Promise<unknown> {
  await limits.authFailures.check(request, reply);
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  try {
    const ack = await receiveSlackRequest({
      services,
      request: {
        spaceName: request.params.space,
        endpoint,
        body: typeof request.body === "string" ? request.body : "",
        timestamp: header("x-slack-request-timestamp"),
        signature: header("x-slack-signature"),
      },
    });
    if (ack.kind === "ephemeral") return reply.send({ response_type: "ephemeral", text: ack.text });
    return reply.status(200).send("");
  } catch (error) {
    if (isDomainError(error) && error.code === "UNAUTHENTICATED") await limits.authFailures.record(request);
    throw error;
  }
}
