/**
 * A secret the server keeps sealed and never shows back: typed in to set it, left empty to keep
 * the saved one, with a hint of the saved one (or what to paste) beneath.
 */
export function SecretInput({
  label,
  id,
  noun,
  value,
  onChange,
  saved,
  placeholder,
  about,
}: {
  label: string;
  /** Names its hint, for `aria-describedby` and tests: `bot-token` makes `bot-token-hint`. */
  id: string;
  /** What the hint calls it: "token", "secret". */
  noun: string;
  value: string;
  onChange: (value: string) => void;
  /** The saved one's hint; undefined while none is saved (it is then required). */
  saved: string | undefined;
  placeholder: string;
  /** Where to find it, while none is saved. */
  about: string;
}) {
  return (
    <>
      <label>
        {label}
        <input
          type="password"
          autoComplete="off"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          required={saved === undefined}
          placeholder={saved === undefined ? placeholder : `leave empty to keep the saved ${noun}`}
          aria-describedby={`${id}-hint`}
        />
      </label>
      <p className="hint" id={`${id}-hint`} data-testid={`${id}-hint`}>
        {saved === undefined ? about : `Saved ${noun}: ${saved}`}
      </p>
    </>
  );
}
