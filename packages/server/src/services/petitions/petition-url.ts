import type { Petition } from "../../domain/petition.js";
import type { Services } from "../runtime/context.js";

/** The petition's page in the web UI: where Slack's links, and refusals that need the web UI, send people. */
export function petitionWebUrl(services: Pick<Services, "web">, petition: Pick<Petition, "spaceName" | "name">): string {
  return `${services.web.publicUrl}/spaces/${encodeURIComponent(petition.spaceName)}/petitions/${encodeURIComponent(petition.name)}`;
}
