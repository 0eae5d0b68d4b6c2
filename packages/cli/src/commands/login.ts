import { GreenlightAPI } from "@greenlight/sdk";
import { Command } from "commander";
import { forget, loadSaved, save } from "../settings.js";
import { globalOptionsOf } from "../client.js";
import { UsageError } from "../output.js";

/**
 * `greenlight login`: saves the server's URL, the space and a token (an access token, a
 * service account's refresh token or the admin token) after checking them against the server.
 *
 * @example
 * greenlight login --url http://127.0.0.1:8787 --space default --token glr_…
 * echo "$TOKEN" | greenlight login --token -
 */
export function loginCommand(): Command {
  return new Command("login")
    .description("check and save the server URL, space and token for the commands that follow")
    .action(async (_options: unknown, command: Command) => {
      const flags = globalOptionsOf(command);
      const saved = loadSaved();
      const token = flags.token === "-" ? (await readStdin()).trim() : (flags.token ?? saved.token);
      if (!token) throw new UsageError("pass --token <token> (or --token - to read it from stdin)");
      const client = new GreenlightAPI({ baseURL: flags.url ?? saved.url, spaceName: flags.space ?? saved.space, apiToken: token });
      const space = await client.space.get();
      const path = save({ url: client.baseURL, space: space.name, token });
      process.stdout.write(`Logged in to ${client.baseURL}, space ${space.name} (${space.displayName}); saved to ${path}\n`);
    });
}

export function logoutCommand(): Command {
  return new Command("logout").description("forget the saved URL, space and token").action(() => {
    process.stdout.write(`Removed ${forget()}\n`);
  });
}

async function readStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}
