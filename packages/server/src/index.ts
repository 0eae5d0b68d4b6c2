/**
 * @greenlight/server: the Greenlight approvals server.
 *
 * @example
 * import { loadConfig, startServer } from "@greenlight/server";
 * const server = await startServer(loadConfig());
 * console.log(`listening on ${server.url}`);
 */
export { loadConfig, ConfigError, ENVIRONMENT, type Config } from "./config.js";
export { startServer, VERSION, type RunningServer, type StartOptions } from "./main.js";
export { operatorSignIn } from "./services/identity/web-sign-in.js";
export { FIRST_ADMIN_EMAIL, firstAdminSignIn } from "./services/identity/first-admin.js";
