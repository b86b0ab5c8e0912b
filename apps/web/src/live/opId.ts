/**
 * A fresh RFC 4122 version-4 UUID for a command's `clientOpId`. Built on `getRandomValues`, which
 * (unlike `crypto.randomUUID`) also exists on pages served over plain HTTP, as a self-hosted
 * instance on a local network may be.
 */
export function newClientOpId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
