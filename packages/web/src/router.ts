import { useEffect, useState } from "react";

/** The page's path, kept in the address bar (history API): links work, reloads keep the page. */
export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener("popstate", update);
    return () => removeEventListener("popstate", update);
  }, []);
  return path;
}

export function navigate(to: string): void {
  history.pushState(null, "", to);
  dispatchEvent(new PopStateEvent("popstate"));
}

/** A link that navigates without reloading. */
export function linkProps(to: string) {
  return {
    href: to,
    onClick: (event: { preventDefault(): void; metaKey: boolean; ctrlKey: boolean }) => {
      if (event.metaKey || event.ctrlKey) return;
      event.preventDefault();
      navigate(to);
    },
  };
}

/** A page of one space: `/spaces/{space}` followed by the page (`/inbox`, `/admin/policy`, …). */
export function spaceHref(space: string, page = ""): string {
  return `/spaces/${encodeURIComponent(space)}${page === "/" ? "" : page}`;
}

/**
 * The space and the page a path names. Paths from before spaces were in the address
 * (`/inbox`, `/admin/policy`) name no space: the UI opens them in the preferred one.
 */
export function parsePath(path: string): { space: string | null; page: string } {
  const match = /^\/spaces\/([^/]+)(\/.*)?$/.exec(path);
  if (!match) return { space: null, page: path || "/" };
  return { space: decodeURIComponent(match[1]!), page: match[2] && match[2] !== "/" ? match[2].replace(/\/$/, "") : "/" };
}
