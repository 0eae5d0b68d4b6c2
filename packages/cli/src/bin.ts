#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { loginCommand, logoutCommand } from "./commands/login.js";
import { petitionsCommand } from "./commands/petitions.js";
import { policiesCommand } from "./commands/policies.js";
import { requestCommand } from "./commands/request.js";
import { resourcesCommand } from "./commands/resources.js";
import { serveCommand } from "./commands/serve.js";
import { serviceAccountsCommand } from "./commands/service-accounts.js";
import { tokensCommand } from "./commands/tokens.js";
import { EXIT, reportError } from "./output.js";

const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

const program = new Command()
  .name("greenlight")
  .description("Greenlight: approvals and just-in-time access")
  .version(VERSION)
  .option("--url <url>", "the server (GREENLIGHT_API_URL; default http://127.0.0.1:8787)")
  .option("--space <space>", "the space (GREENLIGHT_SPACE)")
  .option("--token <token>", "an access, refresh or admin token (GREENLIGHT_API_TOKEN)")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();

for (const command of [
  serveCommand(),
  loginCommand(),
  logoutCommand(),
  requestCommand(),
  petitionsCommand(),
  resourcesCommand(),
  policiesCommand(),
  tokensCommand(),
  serviceAccountsCommand(),
]) {
  program.addCommand(command);
}
// Subcommands report usage errors the same way as the program.
for (const command of program.commands) for (const sub of [command, ...command.commands]) sub.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; every other commander error is a usage mistake, already printed.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    process.exitCode = reportError(error);
  }
}
