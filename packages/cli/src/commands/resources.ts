import { readFileSync } from "node:fs";
import { GreenlightError, type Resource } from "@greenlight/sdk";
import { Command } from "commander";
import { clientFor, collect, collectPages, parseList, parsePairs } from "../client.js";
import { EXIT, parseFormat, printJson, printTable, UsageError } from "../output.js";

const nameOf = (r: Resource) => r.labels?.["indent.com/block"] ?? "";

/**
 * `greenlight resources …`: the space's catalog.
 *
 * @example
 * greenlight resources upload customers.json       # [{kind, id, displayName, labels}, …] or {resources: […]}
 * db-export | greenlight resources upload -
 * greenlight resources list --view requestable -o json
 * greenlight resources pull --kinds okta.v1.Group,okta.v1.User   # from the space's pullUpdate webhooks
 */
export function resourcesCommand(): Command {
  const resources = new Command("resources").description("list, upload, pull and delete the space's resources");

  resources
    .command("list")
    .description("list resources")
    .option("--view <view>", "requestable or people")
    .option("-l, --selector <selector>", "a label selector, such as plan=enterprise")
    .option("--limit <n>", "at most this many", "100")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (options: { view?: string; selector?: string; limit: string; output: string }, command: Command) => {
      const format = parseFormat(options.output);
      if (options.view !== undefined && options.view !== "requestable" && options.view !== "people")
        throw new UsageError("--view must be requestable or people");
      const client = clientFor(command);
      const view = options.view as "requestable" | "people" | undefined;
      const found = await collectPages(options.limit, async (pageSize, pageToken) => {
        const page = await client.resource.list({ view, labelSelector: options.selector, pageSize, pageToken });
        return { items: page.resources, nextPageToken: page.nextPageToken };
      });
      if (format === "json") return printJson(found);
      printTable(
        ["NAME", "KIND", "ID", "DISPLAY NAME"],
        found.map((r) => [nameOf(r), r.kind, r.id ?? "", r.displayName ?? ""]),
      );
    });

  resources
    .command("upload <file>")
    .description("create or update resources from a JSON file (- for stdin), by kind and id")
    .action(async (file: string, _options: unknown, command: Command) => {
      const list = parseResources(file === "-" ? readFileSync(0, "utf8") : readText(file), file);
      const client = clientFor(command);
      let uploaded = 0;
      // The server takes up to 1,000 a call, each call in one transaction.
      for (let i = 0; i < list.length; i += 1000)
        uploaded += (await client.resource.bulkUpdate({ resources: list.slice(i, i + 1000) })).length;
      process.stdout.write(`Uploaded ${uploaded} resources\n`);
    });

  resources
    .command("pull")
    .description("ask the pullUpdate webhooks for resources of some kinds, and save what they return; exits 1 if one failed")
    .requiredOption("--kinds <kinds>", "the kinds, such as okta.v1.Group,okta.v1.User (repeatable)", collect)
    .option("--flag <key=value>", "a flag the webhooks are sent with the kinds (repeatable)", collect)
    .option("-o, --output <format>", "text or json", "text")
    .action(async (options: { kinds: string[]; flag?: string[]; output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const outcome = await clientFor(command).resource.pull({
        kinds: parseList(options.kinds, "--kinds"),
        flags: parsePairs(options.flag ?? [], "--flag"),
      });
      if (format === "json") printJson(outcome);
      else {
        process.stdout.write(`Pulled ${outcome.resources.length} resources\n`);
        printTable(
          ["WEBHOOK", "RESOURCES", "ERROR"],
          outcome.webhooks.map((w) => [w.webhook, String(w.resources), w.error ?? ""]),
        );
      }
      // Resources from the webhooks that answered are saved even so; the failure is the others'.
      if (outcome.status.code !== 0) throw new Error(outcome.status.message);
    });

  resources
    .command("delete <names...>")
    .description("delete resources by name; exits 1 if one was not there")
    .action(async (names: string[], _options: unknown, command: Command) => {
      // One by one, not through bulkDelete, which skips unknown names in silence (as Indent's
      // does): a mistyped name must not be reported deleted.
      const client = clientFor(command);
      let missing = 0;
      for (const name of names) {
        try {
          await client.resource.delete(name);
          process.stdout.write(`Deleted ${name}\n`);
        } catch (error) {
          if (!(error instanceof GreenlightError && error.status === 404)) throw error;
          process.stderr.write(
            `greenlight: no resource named ${name} in space ${client.spaceName}; nothing deleted (see greenlight resources list)\n`,
          );
          missing++;
        }
      }
      if (missing > 0) process.exitCode = EXIT.failed;
    });

  return resources;
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function parseResources(text: string, file: string): Resource[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { resources?: unknown })?.resources;
  if (!Array.isArray(list)) throw new UsageError(`${file} must hold an array of resources, or {"resources": [...]}`);
  return list as Resource[];
}
