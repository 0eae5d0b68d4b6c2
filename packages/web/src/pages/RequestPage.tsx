import type { Resource } from "@greenlight/sdk";
import { useEffect, useState, type FormEvent } from "react";
import { DURATIONS, what } from "../format.js";
import { problemOf } from "../problem.js";
import { navigate, spaceHref } from "../router.js";
import { apiFor } from "../session.js";

/**
 * The catalog of requestable resources, searchable, filtered by kind and by a label selector
 * (the server's syntax: `env=prod,tier in (db,cache)`), and the request form.
 */
export function RequestPage({ space, email }: { space: string; email: string }) {
  const [resources, setResources] = useState<Resource[] | null>(null);
  const [search, setSearch] = useState("");
  const [kind, setKind] = useState("");
  const [selector, setSelector] = useState("");
  const [selectorProblem, setSelectorProblem] = useState("");
  const [labels, setLabels] = useState<string[]>([]);
  const [chosen, setChosen] = useState<Resource | null>(null);
  const [reason, setReason] = useState("");
  const [duration, setDuration] = useState("1h");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  // The selector is the server's to apply (and to refuse, saying why); asked a moment after typing stops.
  useEffect(() => {
    let live = true;
    const timer = setTimeout(
      () => {
        apiFor(space)
          .then((api) => api.resource.list({ view: "requestable", pageSize: 100, labelSelector: selector.trim() }))
          .then((page) => {
            if (!live) return;
            setResources(page.resources);
            setSelectorProblem("");
            if (selector.trim() === "") setLabels(labelPairs(page.resources));
          })
          .catch((e: unknown) => {
            if (!live) return;
            if (selector.trim() !== "") setSelectorProblem(problemOf(e));
            else setError(problemOf(e));
          });
      },
      selector === "" ? 0 : 300,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [space, selector]);

  const kinds = [...new Set((resources ?? []).map((r) => r.kind))].sort();
  const needle = search.trim().toLowerCase();
  const shown = (resources ?? []).filter(
    (r) =>
      (kind === "" || r.kind === kind) && (needle === "" || [r.displayName, r.id, r.kind].some((f) => f?.toLowerCase().includes(needle))),
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!chosen) return;
    setBusy(true);
    setError("");
    try {
      const api = await apiFor(space);
      const petition = await api.petition.create({
        petitioners: [{ kind: "user", email }],
        resources: [{ kind: chosen.kind, ...(chosen.id ? { id: chosen.id } : {}) }],
        reason,
        defaultDuration: duration,
      });
      navigate(spaceHref(space, `/petitions/${petition.name}`));
    } catch (e) {
      setError(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="request-title">
      <h1 id="request-title">Request access</h1>
      <div className="filters">
        <label>
          Search
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="name, id or kind" />
        </label>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">all kinds</option>
            {kinds.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Labels
          <input
            value={selector}
            onChange={(e) => setSelector(e.target.value)}
            placeholder="env=prod,tier in (db,cache)"
            list="label-pairs"
            spellCheck={false}
            autoCapitalize="off"
            aria-invalid={selectorProblem !== ""}
            aria-describedby="selector-help"
          />
          <datalist id="label-pairs">
            {labels.map((pair) => (
              <option key={pair} value={pair} />
            ))}
          </datalist>
        </label>
      </div>
      <p id="selector-help" className={selectorProblem ? "error" : "hint"} role={selectorProblem ? "alert" : undefined}>
        {selectorProblem || "Labels: a label selector, such as env=prod or team in (data,web); commas mean and."}
      </p>
      {resources === null && !error && <p>Loading the catalog…</p>}
      <ul className="catalog" aria-label="Requestable resources">
        {shown.map((r) => (
          <li key={`${r.kind}/${r.id}`}>
            <button type="button" aria-pressed={chosen === r} onClick={() => setChosen(r)}>
              {what(r)}
            </button>
          </li>
        ))}
      </ul>
      {resources !== null && shown.length === 0 && <p>Nothing requestable matches.</p>}
      {chosen && (
        <form onSubmit={submit} className="card" aria-label="Request form">
          <h2>{what(chosen)}</h2>
          <label>
            Why do you need it?
            <textarea required value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />
          </label>
          <label>
            For how long
            <select value={duration} onChange={(e) => setDuration(e.target.value)}>
              {DURATIONS.map((d) => (
                <option key={d}>{d}</option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={busy}>
            Request
          </button>
        </form>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}

/** The catalog's `key=value` label pairs, to suggest as selectors. */
function labelPairs(resources: Resource[]): string[] {
  const pairs = resources.flatMap((r) =>
    Object.entries(r.labels ?? {})
      .filter(([key]) => !key.startsWith("indent.com/"))
      .map(([key, value]) => `${key}=${value}`),
  );
  return [...new Set(pairs)].sort().slice(0, 200);
}
