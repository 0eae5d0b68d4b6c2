import { useEffect, useState } from "react";
import { AccessPage } from "./admin/AccessPage.js";
import { AuditPage } from "./admin/AuditPage.js";
import { GrantsPage } from "./admin/GrantsPage.js";
import { OnCallProvidersPage } from "./admin/OnCallProvidersPage.js";
import { PullPoliciesPage } from "./admin/PullPoliciesPage.js";
import { ResourcesPage } from "./admin/ResourcesPage.js";
import { ServiceAccountsPage } from "./admin/ServiceAccountsPage.js";
import { SlackPage } from "./admin/SlackPage.js";
import { SubscriptionsPage } from "./admin/SubscriptionsPage.js";
import { WebhooksPage } from "./admin/WebhooksPage.js";
import { NoRole } from "./pages/NoRole.js";
import { InboxPage } from "./pages/InboxPage.js";
import { PetitionList } from "./pages/PetitionList.js";
import { PasskeysPage } from "./pages/PasskeysPage.js";
import { PetitionPage } from "./pages/PetitionPage.js";
import { PolicyPage } from "./admin/PolicyPage.js";
import { RequestPage } from "./pages/RequestPage.js";
import { SignIn } from "./pages/SignIn.js";
import { SpaceSwitcher } from "./components/SpaceSwitcher.js";
import { linkProps, parsePath, spaceHref, usePath } from "./router.js";
import { currentSession, preferredSpace, rememberSpace, signOut, type Session } from "./session.js";

/** The space's administration pages, shown to its admins only. */
const ADMIN_PAGES = [
  { path: "/admin/resources", title: "Resources" },
  { path: "/admin/pull-policies", title: "Pull policies" },
  { path: "/admin/grants", title: "Grants" },
  { path: "/admin/policy", title: "Policy" },
  { path: "/admin/on-call", title: "On-call" },
  { path: "/admin/access", title: "Access" },
  { path: "/admin/webhooks", title: "Webhooks" },
  { path: "/admin/subscriptions", title: "Subscriptions" },
  { path: "/admin/service-accounts", title: "Service accounts" },
  { path: "/admin/slack", title: "Slack" },
  { path: "/admin/audit", title: "Audit log" },
];

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const path = usePath();
  const parsed = parsePath(path);
  const space = parsed.space ?? (session ? preferredSpace(session) : undefined);
  const page = parsed.page;

  useEffect(() => {
    currentSession().then(setSession, () => setSession(null));
  }, []);
  // A path without a space (an older link, or `/`) opens in the preferred space, and says so.
  useEffect(() => {
    if (session && parsed.space === null && space !== undefined) {
      history.replaceState(null, "", spaceHref(space, page) + location.search);
      dispatchEvent(new PopStateEvent("popstate"));
    }
  }, [session, parsed.space, space, page]);
  const member = session && space !== undefined ? session.spaces.find((s) => s.name === space) : undefined;
  useEffect(() => {
    if (member) rememberSpace(member.name);
  }, [member?.name]);

  if (session === undefined) return <p className="shell">Loading…</p>;
  if (session === null) return <SignIn />;
  const leave = () => void signOut().then(() => setSession(null));
  if (space === undefined || !member) {
    return <NoRole session={session} space={space} onSignOut={leave} />;
  }

  // The server read these roles when the session was read, as it reads them on every request.
  const admin = member.roles.includes("admin");
  const at = (to: string) => spaceHref(member.name, to);
  const current = (to: string) => (page === to || (to === "/inbox" && page.startsWith("/inbox/")) ? "page" : undefined);
  return (
    <div className="shell">
      <a className="skip" href="#content">
        Skip to content
      </a>
      <header>
        <a className="brand" {...linkProps(at("/"))}>
          Greenlight
        </a>
        <nav aria-label="Main">
          <a {...linkProps(at("/"))} aria-current={current("/")}>
            Request
          </a>
          <a {...linkProps(at("/requests"))} aria-current={current("/requests")}>
            My requests
          </a>
          <a {...linkProps(at("/inbox"))} aria-current={current("/inbox")}>
            Inbox
          </a>
        </nav>
        <SpaceSwitcher spaces={session.spaces} space={member.name} page={page} />
        <span className="who">{session.email}</span>
        <a {...linkProps(at("/passkeys"))} aria-current={current("/passkeys")}>
          Passkeys
        </a>
        <button type="button" onClick={leave}>
          Sign out
        </button>
        {admin && (
          <nav aria-label="Administration" className="admin-nav">
            {ADMIN_PAGES.map((item) => (
              <a key={item.path} {...linkProps(at(item.path))} aria-current={current(item.path)}>
                {item.title}
              </a>
            ))}
          </nav>
        )}
      </header>
      {/* Keyed by space: a page's state (a chosen webhook, a draft) belongs to the space it was made in. */}
      <main id="content" tabIndex={-1} key={member.name}>
        <SpacePage space={member.name} page={page} email={session.email} />
      </main>
    </div>
  );
}

function SpacePage({ space, page, email }: { space: string; page: string; email: string }) {
  const petition = /^\/petitions\/([^/]+)$/.exec(page);
  if (petition) return <PetitionPage space={space} name={decodeURIComponent(petition[1]!)} email={email} />;
  switch (page) {
    case "/requests":
      return <PetitionList space={space} email={email} />;
    case "/inbox":
      return <InboxPage space={space} email={email} view="awaiting" />;
    case "/inbox/decided":
      return <InboxPage space={space} email={email} view="decided" />;
    case "/admin/resources":
      return <ResourcesPage space={space} />;
    case "/admin/pull-policies":
      return <PullPoliciesPage space={space} />;
    case "/admin/grants":
      return <GrantsPage space={space} />;
    case "/admin/policy":
      return <PolicyPage space={space} />;
    case "/admin/on-call":
      return <OnCallProvidersPage space={space} />;
    case "/admin/access":
      return <AccessPage space={space} />;
    case "/admin/webhooks":
      return <WebhooksPage space={space} />;
    case "/admin/subscriptions":
      return <SubscriptionsPage space={space} />;
    case "/admin/service-accounts":
      return <ServiceAccountsPage space={space} />;
    case "/admin/slack":
      return <SlackPage space={space} />;
    case "/admin/audit":
      return <AuditPage space={space} />;
    case "/passkeys":
      return <PasskeysPage />;
    default:
      return <RequestPage space={space} email={email} />;
  }
}
