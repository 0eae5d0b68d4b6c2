/**
 * Reads an answer from a receiver or provider as text, at most `maxBytes` of it, whether or not
 * it declares a length: a hostile or broken server cannot make us hold more. Past the limit the
 * rest is dropped unread and `truncated` is set.
 */
export async function readBody(response: Response, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const declared = Number(response.headers.get("content-length"));
  if (declared > maxBytes) {
    await response.body?.cancel();
    return { text: "", truncated: true };
  }
  if (!response.body) return { text: "", truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      await reader.cancel();
      return { text: Buffer.concat(chunks).toString("utf8"), truncated: true };
    }
    size += value.byteLength;
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), truncated: false };
}
