import { GreenlightError, type SlackApp, type SlackAppInput, type SlackTestResult } from "@greenlight/sdk";
import { useEffect, useState, type FormEvent } from "react";
import { SecretInput } from "../components/SecretInput.js";
import { goDurationShort, when } from "../format.js";
import { problemOf } from "../problem.js";
import { apiFor } from "../session.js";
import { usePageTitle } from "../components/usePageTitle.js";
import { FormOutcome } from "./FormOutcome.js";

/** The app's secrets: typed in to set them, never shown back but as the hints the API gives. */
const SECRETS = [
  {
    field: "botToken",
    label: "Bot token",
    id: "bot-token",
    noun: "token",
    placeholder: "xoxb-…",
    about: "The Bot User OAuth Token, from OAuth & Permissions.",
  },
  {
    field: "signingSecret",
    label: "Signing secret",
    id: "signing-secret",
    noun: "secret",
    placeholder: "from Basic Information",
    about: "The Signing Secret, from Basic Information.",
  },
] as const;
const NO_SECRETS = { botToken: "", signingSecret: "" };

/**
 * The space's Slack app: its bot token and signing secret (sent once, then shown only as
 * hints), default channels and the other settings, the URLs to paste into Slack, a test of
 * the token, and removal.
 */
export function SlackPage({ space }: { space: string }) {
  usePageTitle("Slack", space);
  const [app, setApp] = useState<SlackApp | null | undefined>(undefined);
  const [secrets, setSecrets] = useState(NO_SECRETS);
  const [channels, setChannels] = useState("");
  const [teamId, setTeamId] = useState("");
  const [apiUrl, setApiUrl] = useState("");
  const [reminder, setReminder] = useState("15m");
  const [problem, setProblem] = useState("");
  const [saved, setSaved] = useState("");
  const [test, setTest] = useState<SlackTestResult | null>(null);

  function show(found: SlackApp | null) {
    setApp(found);
    setSecrets(NO_SECRETS);
    if (!found) return;
    setChannels(found.defaultChannels.join(", "));
    setTeamId(found.teamId ?? "");
    setApiUrl(found.apiUrl);
    setReminder(goDurationShort(found.expiryReminder));
  }

  useEffect(() => {
    apiFor(space)
      .then((api) => api.slack.get())
      .then(show, (e: unknown) => {
        if (e instanceof GreenlightError && e.status === 404) show(null);
        else setProblem(problemOf(e));
      });
  }, [space]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setProblem("");
    setSaved("");
    const input: SlackAppInput = {
      defaultChannels: channels
        .split(/[\s,]+/)
        .map((c) => c.trim())
        .filter(Boolean),
      teamId: teamId.trim() || null,
      expiryReminder: reminder.trim() || "0s",
      ...(apiUrl.trim() ? { apiUrl: apiUrl.trim() } : {}),
      ...(secrets.botToken ? { botToken: secrets.botToken } : {}),
      ...(secrets.signingSecret ? { signingSecret: secrets.signingSecret } : {}),
    };
    try {
      show(await (await apiFor(space)).slack.set(input));
      setSaved("Saved.");
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  async function runTest() {
    setTest(null);
    setProblem("");
    try {
      setTest(await (await apiFor(space)).slack.test());
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  async function remove() {
    if (!confirm("Remove the Slack app from this space? Nothing more is posted to Slack.")) return;
    try {
      await (await apiFor(space)).slack.remove();
      show(null);
      setChannels("");
      setSaved("Removed.");
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  if (app === undefined) return <p>{problem || "Loading…"}</p>;
  return (
    <section aria-labelledby="slack-title">
      <h1 id="slack-title">Slack</h1>
      <p>
        {app
          ? `Set up; changed ${when(app.updateTime)}.${app.lastError ? ` Last error: ${app.lastError}.` : ""}`
          : "Not set up. Create the app from the manifest (greenlight slack manifest), install it, then give its bot token and signing secret here."}
      </p>
      <form className="card" onSubmit={(e) => void save(e)} aria-label="Slack settings">
        {SECRETS.map(({ field, ...secret }) => (
          <SecretInput
            key={field}
            {...secret}
            value={secrets[field]}
            onChange={(value) => setSecrets((typed) => ({ ...typed, [field]: value }))}
            saved={app?.[`${field}Hint`]}
          />
        ))}
        <label>
          Default channels
          <input value={channels} onChange={(e) => setChannels(e.target.value)} placeholder="C0123ABCD, C0456EFGH" spellCheck={false} />
        </label>
        <div className="filters">
          <label>
            Workspace id
            <input value={teamId} onChange={(e) => setTeamId(e.target.value)} placeholder="T0123ABCD (optional)" spellCheck={false} />
          </label>
          <label>
            Expiry reminder
            <input value={reminder} onChange={(e) => setReminder(e.target.value)} placeholder="15m; 0s for none" />
          </label>
          <label>
            Slack API URL
            <input value={apiUrl} onChange={(e) => setApiUrl(e.target.value)} placeholder="https://slack.com/api/" spellCheck={false} />
          </label>
        </div>
        <FormOutcome problem={problem} saved={saved}>
          <button type="submit" className="approve">
            Save Slack settings
          </button>
          {app && (
            <>
              <button type="button" onClick={() => void runTest()}>
                Test the token
              </button>
              <button type="button" className="deny" onClick={() => void remove()}>
                Remove Slack
              </button>
            </>
          )}
        </FormOutcome>
        {test && (
          <p className={test.ok ? "ok" : "error"} role="status">
            {test.ok
              ? `Slack accepts the token: workspace ${test.team ?? test.teamId}, bot ${test.botUserId}.`
              : `Slack refused: ${test.error}`}
          </p>
        )}
      </form>
      {app && (
        <dl className="facts">
          <dt>Interactivity URL</dt>
          <dd>
            <code>{app.interactivityUrl}</code>
          </dd>
          <dt>Slash command URL</dt>
          <dd>
            <code>{app.commandsUrl}</code>
          </dd>
        </dl>
      )}
    </section>
  );
}
