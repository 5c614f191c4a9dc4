/** Bytes to text, the way a careful reader of manifests would: BOMs honoured, binary and broken UTF-8 refused. */
export type Decoded = { text: string } | { error: { message: string; line?: number; column?: number } };

export function decodeManifestBytes(bytes: Buffer): Decoded {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) };
  }
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const probe = body.subarray(0, 8192);
  if (probe.includes(0)) return { error: { message: 'binary file (contains NUL bytes): not a manifest' } };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body) };
  } catch {
    const lenient = new TextDecoder('utf-8').decode(body);
    const bad = lenient.indexOf('\uFFFD');
    const before = lenient.slice(0, Math.max(0, bad));
    const line = before.split('\n').length;
    const column = bad - (before.lastIndexOf('\n') + 1) + 1;
    return { error: { message: 'invalid UTF-8: save the file as UTF-8', line, column } };
  }
}
