import { useEffect } from "react";

/**
 * Names the page in the browser's tab, history and screen readers' announcements:
 * "Inbox (3) · default · Greenlight". Each page calls it with what it shows.
 */
export function usePageTitle(title: string, space?: string): void {
  useEffect(() => {
    document.title = [title, space, "Greenlight"].filter(Boolean).join(" · ");
  }, [title, space]);
}
