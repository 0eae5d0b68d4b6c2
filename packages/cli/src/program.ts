import { readFileSync } from "node:fs";
import { Command } from "commander";
import { keysCommand } from "./commands/keys.js";
import { loginCommand, logoutCommand } from "./commands/login.js";
import { mcpCommand } from "./commands/mcp.js";
import { petitionsCommand } from "./commands/petitions.js";
import { policiesCommand } from "./commands/policies.js";
import { pullPoliciesCommand } from "./commands/pull-policies.js";
import { requestCommand } from "./commands/request.js";
import { resourcesCommand } from "./commands/resources.js";
import { serveCommand } from "./commands/serve.js";
import { serviceAccountsCommand } from "./commands/service-accounts.js";
import { slackCommand } from "./commands/slack.js";
import { auditCommand } from "./commands/audit.js";
import { subscriptionsCommand } from "./commands/subscriptions.js";
import { signInLinkCommand, tokensCommand } from "./commands/tokens.js";
import { webhooksCommand } from "./commands/webhooks.js";
import { addGlobalOptions } from "./client.js";

const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

/**
 * The `greenlight` command and every command under it, ready to parse: bin.ts parses argv with
 * it, and the CLI reference in docs/reference/cli.md is generated from it. Building it parses
 * nothing and reads nothing but the package's version.
 */
export function buildProgram(): Command {
  const program = new Command()
    .name("greenlight")
    .description("Greenlight: approvals and just-in-time access")
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  addGlobalOptions(program, { hidden: false });

  for (const command of [
    serveCommand(),
    loginCommand(),
    logoutCommand(),
    requestCommand(),
    petitionsCommand(),
    resourcesCommand(),
    policiesCommand(),
    webhooksCommand(),
    subscriptionsCommand(),
    slackCommand(),
    pullPoliciesCommand(),
    tokensCommand(),
    signInLinkCommand(),
    keysCommand(),
    serviceAccountsCommand(),
    auditCommand(),
    mcpCommand(),
  ]) {
    program.addCommand(command);
  }
  // Subcommands report usage errors the same way as the program. Each command parses its own
  // options only up to its subcommand's name, so a subcommand's own --url is not taken for the
  // server's; the global options are on every command, so they still go anywhere.
  program.enablePositionalOptions();
  for (const command of program.commands)
    for (const sub of [command, ...command.commands]) {
      sub.exitOverride().enablePositionalOptions();
      addGlobalOptions(sub, { hidden: true });
    }
  return program;
}
