/** SHA-256 of `text` (UTF-8), hex, with WebCrypto. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

export function fromBase64Url(text: string, as: "text"): string;
export function fromBase64Url(text: string, as: "bytes"): Uint8Array;
export function fromBase64Url(text: string, as: "text" | "bytes"): string | Uint8Array {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/") + "===".slice((text.length + 3) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return as === "text" ? new TextDecoder().decode(bytes) : bytes;
}
