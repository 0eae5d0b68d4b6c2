import type { PetitionInput, PetitionPreview, Resource } from "@greenlight/sdk";
import { useEffect, useState, type FormEvent } from "react";
import { Problem } from "../components/Problem.js";
import { usePageTitle } from "../components/usePageTitle.js";
import { what } from "../format.js";
import { problemOf } from "../problem.js";
import { ChosenResources, resourceKey } from "../request/ChosenResources.js";
import { durationChoices, INDEFINITE_LABEL, UNTIL_REVOKED } from "../request/durations.js";
import { ReviewPreview } from "../request/ReviewPreview.js";
import { mayRequestForOthers, useSpaceRoles } from "../request/useSpaceRoles.js";
import { navigate, spaceHref } from "../router.js";
import { apiFor } from "../session.js";
import "../request/request.css";

/**
 * The catalog of requestable resources, searchable, filtered by kind and by a label selector
 * (the server's syntax: `env=prod,tier in (db,cache)`), and the request form: several
 * resources at once, for a duration the space's policy allows, for someone else where the
 * person's role allows it, saying before it is sent who would review it.
 */
/** Resources read at a time; "Show more" reads the next ones. */
const PAGE = 50;

export function RequestPage({ space, email }: { space: string; email: string }) {
  usePageTitle("Request access", space);
  const [resources, setResources] = useState<Resource[] | null>(null);
  const [next, setNext] = useState("");
  const [search, setSearch] = useState("");
  const [kind, setKind] = useState("");
  const [kinds, setKinds] = useState<string[]>([]);
  const [selector, setSelector] = useState("");
  const [selectorProblem, setSelectorProblem] = useState("");
  const [labels, setLabels] = useState<string[]>([]);
  const [chosen, setChosen] = useState<Resource[]>([]);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  // The server searches, filters and pages the whole catalog (and refuses a selector, saying
  // why); asked a moment after typing stops. The kinds and label pairs offered are those of
  // the catalog's first page when nothing narrows it.
  const query = { view: "requestable" as const, pageSize: PAGE, labelSelector: selector.trim(), search: search.trim(), kind };
  useEffect(() => {
    let live = true;
    const narrowed = query.labelSelector !== "" || query.search !== "" || query.kind !== "";
    const timer = setTimeout(
      () => {
        apiFor(space)
          .then((api) => api.resource.list(query))
          .then((page) => {
            if (!live) return;
            setResources(page.resources);
            setNext(page.nextPageToken);
            setSelectorProblem("");
            if (!narrowed) {
              setLabels(labelPairs(page.resources));
              setKinds([...new Set(page.resources.map((r) => r.kind))].sort());
            }
          })
          .catch((e: unknown) => {
            if (!live) return;
            if (query.labelSelector !== "") setSelectorProblem(problemOf(e));
            else setError(`${problemOf(e)} Reload the page to try again.`);
          });
      },
      narrowed ? 300 : 0,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [space, selector, search, kind]);

  const more = () => {
    setBusy(true);
    apiFor(space)
      .then((api) => api.resource.list({ ...query, pageToken: next }))
      .then((page) => {
        setResources((shown) => [...(shown ?? []), ...page.resources]);
        setNext(page.nextPageToken);
      })
      .catch((e: unknown) => setError(`${problemOf(e)} Try again.`))
      .finally(() => setBusy(false));
  };

  const shown = resources ?? [];
  const isChosen = (r: Resource) => chosen.some((c) => resourceKey(c) === resourceKey(r));
  const toggle = (r: Resource) => setChosen((now) => (isChosen(r) ? now.filter((c) => resourceKey(c) !== resourceKey(r)) : [...now, r]));

  return (
    <section aria-labelledby="request-title">
      <h1 id="request-title">Request access</h1>
      <div className="filters">
        <label>
          Search
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="name, id or email" />
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
      <p className="hint">Choose one or more; each is asked for in the same request.</p>
      <ul className="catalog" aria-label="Requestable resources">
        {shown.map((r) => (
          <li key={resourceKey(r)}>
            <button type="button" aria-pressed={isChosen(r)} onClick={() => toggle(r)}>
              {what(r)}
            </button>
          </li>
        ))}
      </ul>
      {resources !== null && shown.length === 0 && <p>Nothing requestable matches.</p>}
      {next !== "" && (
        <button type="button" onClick={more} disabled={busy}>
          Show more
        </button>
      )}
      {chosen.length > 0 && <RequestForm space={space} email={email} chosen={chosen} onRemove={toggle} />}
      <Problem text={error} />
    </section>
  );
}

/** The request for the chosen resources: for whom, why, for how long, and what would happen. */
function RequestForm({
  space,
  email,
  chosen,
  onRemove,
}: {
  space: string;
  email: string;
  chosen: Resource[];
  onRemove: (r: Resource) => void;
}) {
  const forOthers = mayRequestForOthers(useSpaceRoles(space));
  const [forWhom, setForWhom] = useState("");
  const [reason, setReason] = useState("");
  const [duration, setDuration] = useState("");
  const [preview, setPreview] = useState<{ of: string; answer: PetitionPreview; at: number } | null>(null);
  const [previewProblem, setPreviewProblem] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const petitioner = (forOthers && forWhom.trim()) || email;
  const base: PetitionInput = {
    petitioners: [{ kind: "user", email: petitioner }],
    resources: chosen.map((r) => ({ kind: r.kind, ...(r.id ? { id: r.id } : {}) })),
  };
  const previewKey = JSON.stringify(base);

  // What the policy would do with this request, asked again when what or whom it is for changes.
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      apiFor(space)
        .then((api) => api.petition.preview(JSON.parse(previewKey) as PetitionInput))
        .then((answer) => {
          if (!live) return;
          setPreview({ of: previewKey, answer, at: Date.now() });
          setPreviewProblem("");
        })
        .catch((e: unknown) => {
          if (!live) return;
          setPreview(null);
          setPreviewProblem(`${problemOf(e)} Change the request, or send it and a reviewer will see it as it is.`);
        });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [space, previewKey]);

  const limits = preview ? durationChoices(preview.answer.review) : null;
  // The policy's default is preselected; a choice it no longer offers falls back to it.
  const offered = limits?.choices.some((c) => c.value === duration) ? duration : (limits?.preselected ?? "");

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      const api = await apiFor(space);
      const petition = await api.petition.create({
        ...base,
        reason,
        ...(offered === UNTIL_REVOKED ? { meta: { labels: { [INDEFINITE_LABEL]: "true" } } } : offered ? { defaultDuration: offered } : {}),
      });
      navigate(spaceHref(space, `/petitions/${petition.name}`));
    } catch (e) {
      setError(`${problemOf(e)} Change the request and send it again.`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="card request-form" aria-labelledby="request-form-title">
      <h2 id="request-form-title">Your request</h2>
      <ChosenResources chosen={chosen} onRemove={onRemove} />
      {forOthers && (
        <div className="request-field">
          <label>
            For
            <input
              type="email"
              value={forWhom}
              onChange={(e) => setForWhom(e.target.value)}
              placeholder={email}
              autoComplete="off"
              aria-describedby="for-help"
            />
          </label>
          <p id="for-help" className="hint">
            The person who needs the access; leave it empty to ask for yourself.
          </p>
        </div>
      )}
      <label>
        Why do you need it?
        <textarea required value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />
      </label>
      <div className="request-field">
        <label>
          For how long
          <select value={offered} onChange={(e) => setDuration(e.target.value)} disabled={limits === null} aria-describedby="duration-help">
            {limits === null && <option value="">reading the policy…</option>}
            {(limits?.choices ?? []).map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        <p id="duration-help" className="hint">
          The durations the space's policy allows for this request.
        </p>
      </div>
      {preview && preview.of === previewKey && <ReviewPreview preview={preview.answer} now={preview.at} />}
      <Problem text={previewProblem} />
      <button type="submit" className="approve" disabled={busy}>
        Request
      </button>
      <Problem text={error} />
    </form>
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
