import { useEffect, useId, useRef, type ReactNode } from "react";
import "./review.css";

/**
 * Asks before an action that deserves a second look, in the browser's own modal dialog: the rest
 * of the page is inert while it is open, Escape cancels, focus starts on Cancel (the safe
 * answer) and goes back where it was when the dialog is cancelled.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirm,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirm: string;
  confirmLabel?: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      element.showModal();
      cancel.current?.focus();
    }
    if (!open && element.open) element.close();
  }, [open]);

  function dismiss() {
    onCancel();
    opener.current?.focus();
  }

  return (
    <dialog
      ref={dialog}
      className="confirm"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(event) => {
        // Escape: closed by the state, so React and the element agree.
        event.preventDefault();
        dismiss();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div id={bodyId}>{children}</div>
      <div className="confirm-actions">
        <button type="button" ref={cancel} onClick={dismiss}>
          Cancel
        </button>
        <button type="button" className="approve" aria-label={confirmLabel} onClick={onConfirm}>
          {confirm}
        </button>
      </div>
    </dialog>
  );
}
