import type { Argument, Command, Option } from "commander";
import { buildProgram } from "../../packages/cli/src/program.js";
import { Anchors, code, codeList, heading, link, page, sentences, slug, table, text } from "./markdown.js";

const INTRO =
  "The `greenlight` command runs a Greenlight server (`greenlight serve`) and talks to one: the other commands call " +
  "a server's HTTP API, the one the global options, the environment or `greenlight login` name. This page lists " +
  "every command with its arguments and options, as the CLI's own definitions of them give them; `--help` after " +
  "any command prints the same.";

/** The CLI reference: every command under `program`, depth first in the order `--help` lists them. */
export function renderCliReference(program: Command = buildProgram()): string {
  const anchors = new Anchors();
  const commands = commandsUnder(program);
  const body = [
    heading(2, "Usage", anchors.add("usage")),
    `${text(program.description())}.`,
    usage(program),
    heading(2, "Global options", anchors.add("global-options")),
    "These options go before or after any command's name, and the commands that talk to a server take them all.",
    optionTable(program.createHelp().visibleOptions(program)),
    heading(2, "Commands", anchors.add("commands")),
    subcommandTable(program),
    ...commands.flatMap((command) => section(command, anchors)),
  ];
  return page({
    title: "Command line",
    source: "the greenlight command's definitions (buildProgram() in packages/cli/src/program.ts)",
    generator: "docs/generate/cli.ts",
    intro: INTRO,
    body,
  });
}

/** Every command's full name, such as `greenlight petitions approve`, in the order of the page. */
export function commandPaths(program: Command = buildProgram()): string[] {
  return commandsUnder(program).map(fullName);
}

/** The commands under `command`, depth first; neither hidden ones nor the implicit `help` command. */
function commandsUnder(command: Command): Command[] {
  return subcommandsOf(command).flatMap((sub) => [sub, ...commandsUnder(sub)]);
}

function subcommandsOf(command: Command): Command[] {
  const visible = new Set(command.createHelp().visibleCommands(command));
  return command.commands.filter((sub) => visible.has(sub));
}

function section(command: Command, anchors: Anchors): string[] {
  const subcommands = subcommandsOf(command);
  const options = command.options.filter((option) => !option.hidden);
  return [
    heading(Math.min(6, depthOf(command) + 1), fullName(command), anchors.add(anchorOf(command))),
    command.description() ? text(command.description()) : "",
    usage(command),
    command.aliases().length > 0 ? `Also: ${codeList(command.aliases().map((alias) => fullName(command.parent!) + " " + alias))}.` : "",
    command.registeredArguments.some((argument) => describe(argument)) ? argumentTable(command.registeredArguments) : "",
    options.length > 0 ? optionTable(options) : "",
    subcommands.length > 0 ? subcommandTable(command) : "",
  ].filter((block) => block !== "");
}

function usage(command: Command): string {
  return ["```text", `${fullName(command)} ${command.usage()}`, "```"].join("\n");
}

function argumentTable(args: readonly Argument[]): string {
  const term = (argument: Argument) => {
    const name = `${argument.name()}${argument.variadic ? "..." : ""}`;
    return argument.required ? `<${name}>` : `[${name}]`;
  };
  return table(
    ["Argument", "Description"],
    args.map((argument) => [code(term(argument)), describe(argument)]),
  );
}

function optionTable(options: readonly Option[]): string {
  return table(
    ["Option", "Description"],
    options.map((option) => [code(option.flags), describe(option)]),
  );
}

/** What an argument or option is for, then what it may be and what it is when not given. */
function describe(item: Argument | Option): string {
  const parts = [item.description ? text(item.description) : ""];
  if ("mandatory" in item && item.mandatory) parts.push("Required.");
  if (item.argChoices) parts.push(`One of ${codeList(item.argChoices)}.`);
  parts.push(defaultOf(item));
  if ("envVar" in item && item.envVar) parts.push(`Environment: ${code(item.envVar)}.`);
  return sentences(parts);
}

function defaultOf(item: Argument | Option): string {
  const value: unknown = item.defaultValue;
  if (item.defaultValueDescription) return `Default: ${text(item.defaultValueDescription)}.`;
  if (value === undefined || value === false) return "";
  if (value === "" || (Array.isArray(value) && value.length === 0)) return "Default: empty.";
  return `Default: ${code(typeof value === "string" ? value : JSON.stringify(value))}.`;
}

function subcommandTable(command: Command): string {
  return table(
    ["Command", "Description"],
    subcommandsOf(command).map((sub) => [link(fullName(sub), anchorOf(sub)), text(sub.description())]),
  );
}

function fullName(command: Command): string {
  return command.parent ? `${fullName(command.parent)} ${command.name()}` : command.name();
}

function depthOf(command: Command): number {
  return command.parent ? depthOf(command.parent) + 1 : 0;
}

/** `petitions-approve` for `greenlight petitions approve`: the name without the program's, dashed. */
function anchorOf(command: Command): string {
  return slug(fullName(command).split(" ").slice(1).join(" "));
}
