import { useEffect, useState } from "react";
import { signInOptions, type SignInOptions } from "../session.js";
import { usePageTitle } from "../components/usePageTitle.js";

/**
 * The page for someone not signed in. With an identity provider (or when the server could not
 * say), a button that goes there; without one (`/auth/login` would answer 404), the way in: a one-time link an admin makes,
 * and the command that makes it for whoever runs the server.
 */
export function SignIn() {
  const [options, setOptions] = useState<SignInOptions | null | undefined>(undefined);
  useEffect(() => {
    signInOptions().then(setOptions, () => setOptions(null));
  }, []);
  usePageTitle("Sign in");
  const returnTo = encodeURIComponent(location.pathname + location.search);
  return (
    <main className="shell signin">
      <h1>Greenlight</h1>
      <p>Request and review access.</p>
      {options === undefined ? (
        <p>Loading…</p>
      ) : options === null || options.identityProvider ? (
        <a className="button" href={`/auth/login?returnTo=${returnTo}`}>
          Sign in
        </a>
      ) : (
        <section aria-labelledby="way-in">
          <h2 id="way-in">Signing in with a link</h2>
          <p>
            This server has no identity provider set up, so people sign in with a one-time link. Ask an admin of this Greenlight for one; it
            signs you in once, within a few minutes.
          </p>
          <p>
            Run this server yourself? Make one with the admin token it printed when it first started:{" "}
            <code>greenlight sign-in-link you@example.com --role admin</code>. When it first started, it also printed a link for its first
            admin, admin@localhost.
          </p>
        </section>
      )}
    </main>
  );
}
