import { useEffect, useState } from "react";
import { Problem } from "../components/Problem.js";
import { when } from "../format.js";
import { problemOf } from "../problem.js";
import { currentSession, type StepUpStatus } from "../session.js";
import { addPasskey, listPasskeys, needsStepUp, removePasskey, stepUpWithPasskey, stepUpWithProvider, type Passkey } from "../step-up.js";
import { usePageTitle } from "../components/usePageTitle.js";

/**
 * The signed-in person's passkeys: a passkey signs them in again in a moment when a high-risk
 * approval asks for it. Adding or removing one needs a recent strong sign-in itself, so the
 * page offers to sign in again first when the server asks for it.
 */
export function PasskeysPage() {
  const [passkeys, setPasskeys] = useState<Passkey[] | null>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [stepUp, setStepUp] = useState<StepUpStatus | null>(null);
  const [tick, setTick] = useState(0);
  usePageTitle("Passkeys");

  useEffect(() => {
    listPasskeys().then(
      (found) => setPasskeys(found.passkeys),
      (e: unknown) => setError(problemOf(e)),
    );
  }, [tick]);

  async function run(change: () => Promise<unknown>) {
    setBusy(true);
    setError("");
    try {
      await change();
      setStepUp(null);
      setTick((n) => n + 1);
    } catch (e) {
      if (needsStepUp(e)) setStepUp((await currentSession())?.stepUp ?? { methods: [], maxAge: "" });
      else setError(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="passkeys-title">
      <h1 id="passkeys-title">Passkeys</h1>
      <p>A passkey confirms it is you when you approve a high-risk petition, without leaving the page.</p>
      <ul className="passkeys" aria-label="Your passkeys">
        {(passkeys ?? []).map((passkey) => (
          <li key={passkey.id} data-passkey={passkey.id}>
            <strong>{passkey.name}</strong> · added {when(passkey.createTime)}
            {passkey.lastUseTime ? ` · last used ${when(passkey.lastUseTime)}` : ""}{" "}
            <button type="button" className="deny" disabled={busy} onClick={() => void run(() => removePasskey(passkey.id))}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      {passkeys !== null && passkeys.length === 0 && <p>You have no passkey yet.</p>}
      <div className="row">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. work laptop" maxLength={100} />
        </label>
        <button type="button" disabled={busy} onClick={() => void run(() => addPasskey(name).then(() => setName("")))}>
          Add a passkey
        </button>
      </div>
      {stepUp && (
        <div className="step-up" role="group" aria-label="Sign in again first">
          <p>Changing your passkeys needs a sign-in within the last {stepUp.maxAge || "few minutes"}. Sign in again first.</p>
          {stepUp.methods.includes("passkey") && (
            <button type="button" disabled={busy} onClick={() => void run(stepUpWithPasskey)}>
              Use a passkey
            </button>
          )}
          {stepUp.methods.includes("oidc") && (
            <button type="button" disabled={busy} onClick={() => stepUpWithProvider(location.pathname)}>
              Sign in again
            </button>
          )}
          {stepUp.methods.length === 0 && <p>You have no way to sign in again here: this server needs an identity provider set up.</p>}
        </div>
      )}
      <Problem text={error} />
    </section>
  );
}
