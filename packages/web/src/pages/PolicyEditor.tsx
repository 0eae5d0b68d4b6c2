import { useEffect, useState } from "react";
import { apiFor } from "../session.js";

/**
 * The space's access policy as JSON: validated on the server as it is edited, the problem shown
 * where it is (the server names the field), saved as the next version.
 */
export function PolicyEditor({ space }: { space: string }) {
  const [text, setText] = useState("");
  const [version, setVersion] = useState<number | null>(null);
  const [problem, setProblem] = useState("");
  const [saved, setSaved] = useState("");

  useEffect(() => {
    apiFor(space)
      .then((api) => api.policy.get())
      .then((current) => {
        setText(JSON.stringify(current.policy ?? { rules: [] }, null, 2));
        setVersion(current.version ?? null);
      })
      .catch(() => setText(JSON.stringify({ rules: [] }, null, 2)));
  }, [space]);

  function parsed(): unknown {
    try {
      return JSON.parse(text);
    } catch (e) {
      setProblem(`Not valid JSON: ${(e as Error).message}`);
      return undefined;
    }
  }

  async function validate(): Promise<boolean> {
    setSaved("");
    const policy = parsed();
    if (policy === undefined) return false;
    try {
      await (await apiFor(space)).policy.validate(policy as never);
      setProblem("");
      return true;
    } catch (e) {
      setProblem((e as Error).message);
      return false;
    }
  }

  async function save() {
    if (!(await validate())) return;
    try {
      const result = await (await apiFor(space)).policy.set(parsed() as never, version === null ? {} : { expectedVersion: version });
      setVersion(result.version ?? null);
      setSaved(`Saved as version ${result.version}.`);
    } catch (e) {
      setProblem((e as Error).message);
    }
  }

  return (
    <section aria-labelledby="policy-title">
      <h1 id="policy-title">Access policy</h1>
      <label htmlFor="policy-text">Policy (JSON){version !== null ? `, version ${version}` : ""}</label>
      <textarea
        id="policy-text"
        className="code"
        rows={18}
        value={text}
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
        <button type="button" className="approve" onClick={() => void save()}>
          Save
        </button>
      </div>
    </section>
  );
}
