import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { HealthOut } from "../../contract/system.js";

export const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/healthz",
    {
      config: { public: true },
      schema: { tags: ["system"], summary: "Liveness", security: [], response: { 200: HealthOut } },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get("/openapi.json", { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
};
