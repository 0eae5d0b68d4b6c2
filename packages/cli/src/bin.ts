#!/usr/bin/env node
import { Command } from "commander";
import { serveCommand } from "./commands/serve.js";
import { VERSION } from "@greenlight/server";

const program = new Command().name("greenlight").description("Greenlight: approvals and just-in-time access").version(VERSION);

program.addCommand(serveCommand());

await program.parseAsync(process.argv);
