import { GreenlightError, type Petition, type PolicyDocument, type PolicyExplanation, type PolicyReplay } from "@greenlight/sdk";
import { useEffect, useState } from "react";
import { Explanation } from "../components/Explanation.js";
import { Problem } from "../components/Problem.js";
import { usePageTitle } from "../components/usePageTitle.js";
import { what, who } from "../format.js";
import { problemOf } from "../problem.js";
import { apiFor } from "../session.js";

/** What was read of the policy: nothing yet, the reason it could not be read, or the version and its text. */
type Read = { state: "loading" } | { state: "failed"; problem: string } | { state: "read"; version: number };

/**
 * The space's access policy as JSON: validated on the server, the problem shown where it is
 * (the server names the field), saved as the next version. Beside it, the draft at work: why
 * it would do what it does with a petition (explain) and what it would have done with the
 * latest petitions (replay); neither changes anything.
 *
 * The editor opens only on a policy actually read, and every save names the version it
 * started from: a failed read never offers an empty policy to save over the real one, and a
 * save after someone else's is refused rather than undoing theirs.
 */
export function PolicyPage({ space }: { space: string }) {
  usePageTitle("Access policy", space);
  const [read, setRead] = useState<Read>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [text, setText] = useState("");
  const [problem, setProblem] = useState("");
  const [saved, setSaved] = useState("");
  const [stale, setStale] = useState(false);

  useEffect(() => {
    let live = true;
    setRead({ state: "loading" });
    apiFor(space)
      .then((api) => api.policy.get())
      .then((current) => {
        if (!live) return;
        setText(JSON.stringify(current.policy ?? { rules: [] }, null, 2));
        setRead({ state: "read", version: current.version });
        setProblem("");
        setStale(false);
      })
      .catch((e: unknown) => {
        if (live) setRead({ state: "failed", problem: problemOf(e) });
      });
    return () => {
      live = false;
    };
  }, [space, attempt]);

  /** The draft, or undefined with the problem shown. */
  function draft(): PolicyDocument | undefined {
    try {
      return JSON.parse(text) as PolicyDocument;
    } catch (e) {
      setProblem(`Not valid JSON: ${(e as Error).message}. Correct it, then try again.`);
      return undefined;
    }
  }

  async function validate(): Promise<boolean> {
    setSaved("");
    const policy = draft();
    if (policy === undefined) return false;
    try {
      await (await apiFor(space)).policy.validate(policy);
      setProblem("");
      return true;
    } catch (e) {
      setProblem(problemOf(e));
      return false;
    }
  }

  async function save(expectedVersion: number) {
    if (!(await validate())) return;
    try {
      const result = await (await apiFor(space)).policy.set(draft()!, { expectedVersion });
      setRead({ state: "read", version: result.version });
      setSaved(`Saved as version ${result.version}.`);
    } catch (e) {
      if (e instanceof GreenlightError && e.status === 409) {
        setStale(true);
        setProblem(
          "Someone else saved the policy after you opened it, so yours was not saved. Copy your changes if you need them, then reload to see theirs.",
        );
      } else setProblem(problemOf(e));
    }
  }

  if (read.state === "loading") {
    return (
      <section aria-labelledby="policy-title">
        <h1 id="policy-title">Access policy</h1>
        <p role="status">Reading the policy…</p>
      </section>
    );
  }
  if (read.state === "failed") {
    return (
      <section aria-labelledby="policy-title">
        <h1 id="policy-title">Access policy</h1>
        <p role="alert" className="error">
          The policy could not be read ({read.problem}), so it cannot be edited now: saving without it would replace the policy in force.
          Try again in a moment; if it keeps failing, check that the server is running.
        </p>
        <button type="button" onClick={() => setAttempt((n) => n + 1)}>
          Try again
        </button>
      </section>
    );
  }
  const version = read.version;
  return (
    <section aria-labelledby="policy-title">
      <h1 id="policy-title">Access policy</h1>
      <div className="side-by-side">
        <div>
          <label htmlFor="policy-text">Policy (JSON), version {version}</label>
          <textarea
            id="policy-text"
            className="code"
            rows={22}
            value={text}
            spellCheck={false}
            aria-invalid={problem !== ""}
            aria-describedby="policy-problem"
            onChange={(e) => setText(e.target.value)}
          />
          <p id="policy-problem" role={problem ? "alert" : undefined} className={problem ? "error" : "ok"}>
            {problem || saved}
          </p>
          <div className="row">
            <button type="button" onClick={() => void validate()}>
              Validate
            </button>
            {stale ? (
              <button type="button" className="approve" onClick={() => setAttempt((n) => n + 1)}>
                Reload the policy
              </button>
            ) : (
              <button type="button" className="approve" onClick={() => void save(version)}>
                Save
              </button>
            )}
          </div>
        </div>
        <div className="panels">
          <ExplainPanel space={space} draft={draft} />
          <ReplayPanel space={space} draft={draft} />
        </div>
      </div>
    </section>
  );
}

type Draft = () => PolicyDocument | undefined;

/** Why the draft would do what it does with one petition (one of the latest, or any by name). */
function ExplainPanel({ space, draft }: { space: string; draft: Draft }) {
  const [recent, setRecent] = useState<Petition[]>([]);
  const [name, setName] = useState("");
  const [result, setResult] = useState<PolicyExplanation | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    apiFor(space)
      .then((api) => api.petition.list({ pageSize: 20 }))
      .then((page) => {
        setRecent(page.petitions);
        setName((known) => known || page.petitions[0]?.name || "");
      })
      .catch((e: unknown) => setError(problemOf(e)));
  }, [space]);

  async function explain() {
    setError("");
    const policy = draft();
    if (policy === undefined) return;
    if (!name.trim()) return setError("Choose a petition to explain, or enter its name (pet_…).");
    try {
      setResult(await (await apiFor(space)).policy.explain({ petition: name.trim(), policy }));
    } catch (e) {
      setResult(null);
      setError(problemOf(e));
    }
  }

  return (
    <section className="card" aria-labelledby="explain-title">
      <h2 id="explain-title">Explain</h2>
      <label htmlFor="explain-petition">Petition</label>
      <input id="explain-petition" value={name} onChange={(e) => setName(e.target.value)} list="recent-petitions" spellCheck={false} />
      <datalist id="recent-petitions">
        {recent.map((p) => (
          <option key={p.name} value={p.name}>
            {`${p.petitioners.map(who).join(", ")}: ${p.resources.map(what).join(", ")}`}
          </option>
        ))}
      </datalist>
      <button type="button" onClick={() => void explain()}>
        Explain with this draft
      </button>
      <Problem text={error} />
      {result && (
        <div aria-label="Explanation" role="region">
          <p>
            <strong>Outcome: </strong>
            {OUTCOME[result.outcome]}
            {result.decidedBy ? ` by ${result.decidedBy}` : ""}
            {result.reason ? ` (${result.reason})` : ""}
          </p>
          <Explanation explanation={{ ...result, petition: undefined }} />
          <ul className="pairs">
            {result.pairs.map((pair) => (
              <li key={`${pair.petitioner}|${pair.resource}`}>
                {pair.petitioner} → {pair.resource}: <strong>{pair.result}</strong>
                <ul>
                  {pair.rules.map((rule) => (
                    <li key={rule.rule}>
                      {rule.matched ? "✓" : "✗"} <code>{rule.rule}</code>: {rule.matched ? rule.held.join(", ") : rule.failed}
                      {rule.conditionError ? ` (${rule.conditionError})` : ""}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

const OUTCOME: Record<PolicyExplanation["outcome"], string> = {
  approve: "approved at once",
  deny: "denied at once",
  review: "needs a review",
};

/** What the draft would have done with the latest petitions, against what happened. */
function ReplayPanel({ space, draft }: { space: string; draft: Draft }) {
  const [limit, setLimit] = useState(50);
  const [result, setResult] = useState<PolicyReplay | null>(null);
  const [error, setError] = useState("");

  async function replay() {
    setError("");
    const policy = draft();
    if (policy === undefined) return;
    try {
      setResult(await (await apiFor(space)).policy.replay({ policy, limit }));
    } catch (e) {
      setResult(null);
      setError(problemOf(e));
    }
  }

  return (
    <section className="card" aria-labelledby="replay-title">
      <h2 id="replay-title">Replay</h2>
      <label>
        Latest petitions
        <input type="number" min={1} max={1000} value={limit} onChange={(e) => setLimit(Number(e.target.value) || 1)} />
      </label>
      <button type="button" onClick={() => void replay()}>
        Replay with this draft
      </button>
      <Problem text={error} />
      {result && (
        <div aria-label="Replay results" role="region">
          <p>
            Of {result.replayed} petitions, <strong>{result.changed} would have gone otherwise</strong>: {result.wouldAutoApprove} approved
            at once, {result.wouldAutoDeny} denied at once, {result.wouldNeedReview} reviewed by people.
          </p>
          <ul className="replay">
            {result.petitions
              .filter((p) => p.changed)
              .slice(0, 50)
              .map((p) => (
                <li key={p.name}>
                  <code>{p.name}</code>: {p.summary}
                </li>
              ))}
          </ul>
        </div>
      )}
    </section>
  );
}
