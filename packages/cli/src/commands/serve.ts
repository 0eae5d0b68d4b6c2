import { Command } from "commander";
import type { RunningServer } from "@greenlight/server";

/**
 * `greenlight serve`: runs the server on its embedded database. Configuration comes from
 * GREENLIGHT_* environment variables; the flags override the most common ones.
 *
 * @example
 * greenlight serve --port 8787 --data-dir ./.greenlight
 */
export function serveCommand(): Command {
  return new Command("serve")
    .description("run the Greenlight server (configured by GREENLIGHT_* environment variables)")
    .option("--host <host>", "address to listen on (GREENLIGHT_HOST)")
    .option("--port <port>", "port to listen on (GREENLIGHT_PORT)")
    .option("--data-dir <dir>", "directory of the embedded database (GREENLIGHT_DATA_DIR)")
    .option("--rotate-admin-token", "replace the bootstrap admin token with a new one and print it")
    .option(
      "--sign-in <email>",
      "print a one-time link that signs this person in to the web UI (made an admin of the default space if they have no role)",
    )
    .action(async (flags: { host?: string; port?: string; dataDir?: string; rotateAdminToken?: boolean; signIn?: string }) => {
      // Loaded here, not at the top: the other commands are clients and start faster without it.
      const { ConfigError, loadConfig, startServer } = await import("@greenlight/server");
      let config;
      try {
        // The server's own reader reads the environment (undefined: process.env); the flags override it.
        config = loadConfig(undefined, {
          ...(flags.host !== undefined ? { GREENLIGHT_HOST: flags.host } : {}),
          ...(flags.port !== undefined ? { GREENLIGHT_PORT: flags.port } : {}),
          ...(flags.dataDir !== undefined ? { GREENLIGHT_DATA_DIR: flags.dataDir } : {}),
        });
      } catch (error) {
        if (error instanceof ConfigError) {
          process.stderr.write(`greenlight: ${error.message}\n`);
          process.exit(2);
        }
        throw error;
      }
      if (flags.rotateAdminToken && config.adminToken !== null) {
        process.stderr.write(
          "greenlight: --rotate-admin-token has no effect while GREENLIGHT_ADMIN_TOKEN is set; change that variable instead\n",
        );
        process.exit(2);
      }
      let server: RunningServer;
      try {
        server = await startServer(config, { rotateAdminToken: flags.rotateAdminToken ?? false });
      } catch (error) {
        process.stderr.write(`greenlight: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      }
      process.stdout.write(banner(server) + (await signInLines(server, flags.signIn)));
      const stop = (signal: string) => {
        process.stdout.write(`\n${signal}: stopping; held requests are answered, jobs stop, the database closes\n`);
        void server.close().then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`greenlight: error while stopping: ${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.once("SIGINT", () => stop("SIGINT"));
      process.once("SIGTERM", () => stop("SIGTERM"));
    });
}

/**
 * A one-time link into the web UI, for this console alone (the server logs neither it nor its
 * token): for `--sign-in`'s person, or for a first admin while the space has none and no
 * identity provider is set up. Printed with the banner, in one write.
 */
async function signInLines(server: RunningServer, email: string | undefined): Promise<string> {
  const { FIRST_ADMIN_EMAIL, firstAdminSignIn, operatorSignIn } = await import("@greenlight/server");
  const { services, config, defaultSpace } = server;
  const lines = (who: string, link: string) => `\n  Web UI sign-in for ${who}, once, within 15 minutes:\n\n    ${link}\n\n`;
  try {
    if (email !== undefined) return lines(email.toLowerCase(), await operatorSignIn(services, config.web, defaultSpace, email));
    const link = await firstAdminSignIn({ services, settings: config.web, spaceName: defaultSpace });
    return link === undefined ? "" : lines(`the first admin, ${FIRST_ADMIN_EMAIL} (no one is an admin yet)`, link);
  } catch (error) {
    process.stderr.write(`greenlight: the sign-in link: ${error instanceof Error ? error.message : String(error)}\n`);
    return "";
  }
}

function banner(server: RunningServer): string {
  const { url, config, adminToken, defaultSpace } = server;
  const lines = [
    `Greenlight listening on ${url}`,
    `  web UI:    ${url}/`,
    `  database:  SQLite in ${config.dataDir}`,
    `  space:     ${defaultSpace}   (API: ${url}/v1/spaces/${defaultSpace}/..., description: ${url}/openapi.json)`,
  ];
  if (config.web.oidc === null) {
    lines.push(
      "  sign-in:   with one-time links (no identity provider is set up: GREENLIGHT_OIDC_ISSUER); make one with",
      "             greenlight sign-in-link you@example.com --role admin   (with the admin token)",
    );
  }
  switch (adminToken.source) {
    case "generated":
      lines.push(
        "",
        "  Admin token (shown once; store it now, only its hash is kept):",
        "",
        `    ${adminToken.generated}`,
        "",
        `  Try it: curl -H "Authorization: Bearer ${adminToken.generated}" ${url}/v1/spaces/${defaultSpace}/petitions`,
      );
      break;
    case "stored":
      lines.push(
        "  admin token: the one printed when this data directory was first used.",
        "    Lost it? Restart with `greenlight serve --rotate-admin-token` (or `npm start -- --rotate-admin-token`), or set GREENLIGHT_ADMIN_TOKEN.",
      );
      break;
    case "environment":
      lines.push("  admin token: GREENLIGHT_ADMIN_TOKEN");
      break;
  }
  return `${lines.join("\n")}\n`;
}
