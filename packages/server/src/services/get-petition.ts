import type { WirePetition } from "../domain/wire.js";
import type { Context } from "./context.js";
import { loadPetition, petitionWithHistory } from "./load-petition.js";

export async function getPetition({ ctx, name }: { ctx: Context; name: string }): Promise<WirePetition> {
  return petitionWithHistory(ctx.store.read, await loadPetition(ctx.store.read, ctx.space, name));
}
