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
