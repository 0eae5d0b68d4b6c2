import { useEffect, useId, useRef, type ReactNode } from "react";
import "./request.css";

/**
 * A modal dialog about a request, open while it is shown: its title names it, its first
 * paragraph describes it, and Escape does what `onClose` does (the dialog's way out).
 */
export function RequestDialog({
  title,
  description,
  onClose,
  children,
}: {
  title: string;
  description: ReactNode;
  onClose: () => void;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  useEffect(() => {
    const shown = dialog.current;
    if (shown && !shown.open) shown.showModal();
    return () => shown?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="request-dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <p id={bodyId}>{description}</p>
      {children}
    </dialog>
  );
}
