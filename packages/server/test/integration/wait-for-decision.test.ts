import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../support/manual-clock.js";
import { approveClaim, AUTH, createPetition, denyClaim, SPACE, startTestServer, type TestServer, waitFor } from "./harness.js";

/**
 * The server's clock stands still unless a test moves it, so a wait that ends did so because
 * it was woken (or the server stopped), never because its timeout ran out meanwhile.
 */
let t: TestServer<ManualClock>;
beforeAll(async () => {
  t = await startTestServer({ clock: new ManualClock() });
});
afterAll(async () => {
  await t.close();
});

const waitPath = (name: string, timeout = "30s") => `${SPACE}/petitions/${name}?waitFor=decision&timeout=${timeout}`;

function untilWatching(count: number, server: TestServer = t): Promise<void> {
  return waitFor(`${count} waiters to register`, () => server.server.services.notifier.watcherCount >= count);
}

describe("waitFor=decision", () => {
  it("releases a waiter when another request approves, woken rather than polling", async () => {
    const p = await createPetition(t);
    const waiter = t.fetch("GET", waitPath(p.name));
    await untilWatching(1);
    const approve = await t.fetch("POST", `${SPACE}/petitions/${p.name}/claims`, approveClaim("1h"));
    expect(approve.status).toBe(200);
    const reply = await waiter;
    expect(reply.status).toBe(200);
    expect(reply.body.state.status.phase).toBe("granted");
  });

  it("releases hundreds of waiters on several petitions, each with its own decision", async () => {
    const petitions = await Promise.all(Array.from({ length: 4 }, () => createPetition(t)));
    const waiters = petitions.flatMap((p) => Array.from({ length: 75 }, () => t.fetch("GET", waitPath(p.name))));
    await untilWatching(300);
    await t.fetch("POST", `${SPACE}/petitions/${petitions[0]!.name}/claims`, approveClaim("1h"));
    await t.fetch("POST", `${SPACE}/petitions/${petitions[1]!.name}/claims`, denyClaim);
    await t.fetch("POST", `${SPACE}/petitions/${petitions[2]!.name}/claims`, approveClaim("1h"));
    await t.fetch("POST", `${SPACE}/petitions/${petitions[3]!.name}/claims`, denyClaim);
    const replies = await Promise.all(waiters);
    const phases = replies.map((r) => `${r.body.name}:${r.body.state.status.phase}`);
    for (const [i, p] of petitions.entries()) {
      const expected = `${p.name}:${i % 2 ? "closed" : "granted"}`;
      expect(phases.filter((x) => x === expected)).toHaveLength(75);
    }
    expect(t.server.services.notifier.watcherCount).toBe(0);
  });

  it("reads a decided petition once for all the waiters it releases", async () => {
    const p = await createPetition(t);
    const waiters = Array.from({ length: 200 }, () => t.fetch("GET", waitPath(p.name)));
    await untilWatching(200);
    const repository = t.server.services.store.read.petitions;
    const get = repository.get.bind(repository);
    let reads = 0;
    repository.get = (space, name) => {
      if (name === p.name) reads += 1;
      return get(space, name);
    };
    try {
      await t.fetch("POST", `${SPACE}/petitions/${p.name}/claims`, denyClaim);
      const replies = await Promise.all(waiters);
      expect(replies.every((r) => r.body.state.status.phase === "closed")).toBe(true);
      // Woken together, they share the read; a handful at most, never one each.
      expect(reads).toBeLessThanOrEqual(3);
    } finally {
      repository.get = get;
    }
  });

  it("answers at once when the petition is already decided", async () => {
    const p = await createPetition(t);
    await t.call("POST", `${SPACE}/petitions/${p.name}/claims`, denyClaim);
    // Its 30 s would never pass on this clock: an answer is an answer at once.
    const reply = await t.fetch("GET", waitPath(p.name));
    expect(reply.body.state.status).toEqual({ phase: "closed", outcome: "denied" });
  });

  it("answers with the open petition when the timeout passes", async () => {
    const p = await createPetition(t);
    let answered = false;
    const waiter = t.fetch("GET", waitPath(p.name, "300ms")).finally(() => (answered = true));
    await untilWatching(1);
    await t.clock.advance(299);
    expect(t.server.services.notifier.watcherCount).toBe(1);
    expect(answered).toBe(false);
    await t.clock.advance(1);
    const reply = await waiter;
    expect(reply.status).toBe(200);
    expect(reply.body.state.status.phase).toBe("open");
  });

  it("keeps waiting through changes that are not decisions", async () => {
    const p = await createPetition(t);
    const waiter = t.fetch("GET", waitPath(p.name, "2s"));
    await untilWatching(1);
    // Count the reads of the petition that finish: the change wakes the waiter, which reads
    // the petition again and then either answers or waits on.
    const repository = t.server.services.store.read.petitions;
    const get = repository.get.bind(repository);
    let reads = 0;
    repository.get = (space, name) => {
      const read = get(space, name);
      if (name === p.name) void read.finally(() => (reads += 1));
      return read;
    };
    try {
      await t.call("PUT", `${SPACE}/petitions/${p.name}`, { petition: { meta: { labels: { note: "still thinking" } } } });
      await waitFor("the woken waiter to read the petition again", () => reads > 0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(t.server.services.notifier.watcherCount).toBe(1);
    } finally {
      repository.get = get;
    }
    await t.call("POST", `${SPACE}/petitions/${p.name}/claims`, denyClaim);
    const reply = await waiter;
    expect(reply.body.state.status.phase).toBe("closed");
    expect(reply.body.meta.labels).toEqual({ note: "still thinking" });
  });

  it("stops waiting when the client goes away", async () => {
    const p = await createPetition(t);
    const controller = new AbortController();
    const waiter = fetch(t.url + waitPath(p.name), { headers: AUTH, signal: controller.signal }).catch(() => "aborted");
    await untilWatching(1);
    controller.abort();
    expect(await waiter).toBe("aborted");
    await waitFor("the waiter to leave", () => t.server.services.notifier.watcherCount === 0);
    expect(t.server.services.notifier.watcherCount).toBe(0);
  });

  it.each([
    ["an unknown waitFor", "waitFor=grant"],
    ["a bad timeout", "waitFor=decision&timeout=soon"],
    ["a negative timeout", "waitFor=decision&timeout=-5s"],
  ])("refuses %s", async (_name, query) => {
    const p = await createPetition(t);
    const reply = await t.call("GET", `${SPACE}/petitions/${p.name}?${query}`);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("INVALID_ARGUMENT");
  });

  it("404s waiting on a petition that does not exist", async () => {
    expect((await t.fetch("GET", waitPath("pet_missing"))).status).toBe(404);
  });
});

describe("stopping the server", () => {
  it("answers held waiters before it stops", async () => {
    // On a clock that stands still, the 60 s never pass: only the close can answer.
    const own = await startTestServer({ clock: new ManualClock() });
    const p = await createPetition(own);
    const waiter = own.fetch("GET", waitPath(p.name, "60s"));
    await untilWatching(1, own);
    await own.close();
    const reply = await waiter;
    expect(reply.status).toBe(200);
    expect(reply.body.state.status.phase).toBe("open");
  });
});
