import type { IHasher } from "hash-wasm";

/** Content-MD5 (base64) of `bytes` with a hash-wasm MD5 hasher; synchronous, so one hasher serves every call. */
export function md5Base64(h: IHasher, bytes: Uint8Array): string {
  h.init();
  h.update(bytes);
  let s = "";
  for (const b of h.digest("binary")) s += String.fromCharCode(b);
  return btoa(s);
}
