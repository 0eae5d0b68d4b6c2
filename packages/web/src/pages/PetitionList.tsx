import type { Petition } from "@greenlight/sdk";
import { useEffect, useState } from "react";
import { Pager } from "../components/Pager.js";
import { PetitionSummary } from "../components/PetitionSummary.js";
import { Problem } from "../components/Problem.js";
import { problemOf } from "../problem.js";
import { apiFor } from "../session.js";

/** The person's own petitions, newest first, kept current: it reads again every few seconds. */
export function PetitionList({ space, email }: { space: string; email: string }) {
  const [petitions, setPetitions] = useState<Petition[] | null>(null);
  const [pages, setPages] = useState([""]);
  const [next, setNext] = useState("");
  const [error, setError] = useState("");
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    apiFor(space)
      .then((api) => api.petition.list({ pageSize: 50, pageToken: pages.at(-1) }))
      .then((page) => {
        if (!live) return;
        // Reviewers and admins list every petition: keep the person's own.
        setPetitions(page.petitions.filter((p) => p.petitioners.some((r) => r.email?.toLowerCase() === email)));
        setNext(page.nextPageToken);
        setError("");
      })
      .catch((e: unknown) => live && setError(problemOf(e)));
    const timer = setTimeout(() => setTick((n) => n + 1), 3000);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [space, email, pages, tick]);

  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">My requests</h1>
      <Problem text={error} />
      {petitions !== null && petitions.length === 0 && <p>You have asked for nothing yet.</p>}
      <ul className="petitions">
        {(petitions ?? []).map((p) => (
          <li key={p.name} className="card" data-petition={p.name}>
            <PetitionSummary space={space} petition={p} />
          </li>
        ))}
      </ul>
      <Pager label="Pages of my requests" pages={pages} next={next} onPage={setPages} />
    </section>
  );
}
