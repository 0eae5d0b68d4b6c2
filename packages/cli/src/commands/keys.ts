import { Command } from "commander";
import { clientFor } from "../client.js";
import { parseFormat, printJson, printTable } from "../output.js";

/**
 * `greenlight keys …`: the keys the server signs access tokens and approval receipts with.
 * They rotate by themselves (GREENLIGHT_SIGNING_KEY_ROTATION); `rotate` does it now.
 *
 * @example
 * greenlight keys list
 * greenlight keys rotate                       # a new key signs; tokens signed before stay valid
 * greenlight keys rotate --revoke-other-keys   # a key leaked: what the others signed stops verifying
 */
export function keysCommand(): Command {
  const keys = new Command("keys").description("the keys the server signs tokens and receipts with");

  keys
    .command("list")
    .description("list the published signing keys (GET /v1/auth/keys)")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (options: { output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const published = await clientFor(command).signingKeys();
      if (format === "json") return printJson(published);
      printTable(
        ["KID", "ALG"],
        published.keys.map((key) => [key.kid ?? "", String(key.alg ?? "")]),
      );
    });

  keys
    .command("rotate")
    .description("make a new key sign at once (server admin token only)")
    .option("--revoke-other-keys", "remove every other key: tokens and receipts they signed stop verifying")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (options: { revokeOtherKeys?: boolean; output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const client = clientFor(command);
      const before = new Set((await client.signingKeys()).keys.map((key) => key.kid));
      const after = await client.rotateSigningKeys({ revokeOtherKeys: options.revokeOtherKeys ?? false });
      if (format === "json") return printJson(after);
      const added = after.keys.find((key) => !before.has(key.kid));
      const kept = after.keys.length - (added ? 1 : 0);
      process.stdout.write(
        `New tokens are signed with ${added?.kid ?? "a new key"}; ${
          options.revokeOtherKeys
            ? "the other keys were revoked"
            : `${kept} earlier key${kept === 1 ? "" : "s"} still verif${kept === 1 ? "ies" : "y"}`
        }\n`,
      );
    });

  return keys;
}
