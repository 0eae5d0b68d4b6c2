import type { Context } from "../runtime/context.js";
import { loadVisiblePetition, petitionWithHistory } from "./load-petition.js";
import type { PetitionOut } from "../../contract/petitions.js";

export async function getPetition({ ctx, name }: { ctx: Context; name: string }): Promise<PetitionOut> {
  return petitionWithHistory(ctx.store.read, await loadVisiblePetition(ctx.store.read, ctx, name));
}
