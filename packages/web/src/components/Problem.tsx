/** An error, where it happened: announced to screen readers, and shown only when there is one. */
export function Problem({ text, id }: { text: string; id?: string }) {
  if (!text) return null;
  return (
    <p role="alert" className="error" id={id}>
      {text}
    </p>
  );
}
