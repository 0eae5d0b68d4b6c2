import type { WirePetition } from "../../domain/wire.js";
import type { Context } from "../runtime/context.js";
import { loadVisiblePetition, petitionWithHistory } from "./load-petition.js";

export async function getPetition({ ctx, name }: { ctx: Context; name: string }): Promise<WirePetition> {
  return petitionWithHistory(ctx.store.read, await loadVisiblePetition(ctx.store.read, ctx, name));
}
