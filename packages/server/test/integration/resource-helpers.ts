import { SPACE, type TestServer } from "./harness.js";

export const RES = `${SPACE}/resources`;
export const BLOCK = "indent.com/block";

export type Res = { kind: string; id?: string; displayName?: string; email?: string; altIds?: string[]; labels: Record<string, string> };

let counter = 0;
/** A value unique to this run, for kinds, ids, labels and names shared by no other test. */
export const uniq = (prefix: string) => `${prefix}-${Date.now()}-${++counter}`;

export const nameOf = (r: Res) => r.labels[BLOCK]!;
export const names = (reply: { body: { resources: Res[] } }) => reply.body.resources.map(nameOf);
export const select = (selector: string) => `labelSelector=${encodeURIComponent(selector)}&pageSize=100`;

/** Helpers bound to the file's test server, which exists only once `beforeAll` has run. */
export function resourceCalls(server: () => TestServer) {
  return {
    async create(resource: Record<string, unknown>): Promise<Res> {
      const reply = await server().call("POST", RES, { resource });
      if (reply.status !== 201) throw new Error(`create failed: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body;
    },
    list: (query: string) => server().call("GET", `${RES}?${query}`),
  };
}
