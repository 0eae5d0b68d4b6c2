/** A list typed in one field, separated by commas or spaces: "a, b c" is ["a", "b", "c"]. */
export function listOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}
