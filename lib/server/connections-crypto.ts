import "server-only";
import { openingKeys } from "./crypto/master-key";
import { associatedData, open } from "./crypto/secret-box";
import type { ConnectionRow } from "./db/connections";
import { AppError } from "./http/app-error";
import type { StoreCredentials } from "./s3/client";

// The identity each sealed value is bound to: copied into another row (another user, another connection,
// the same connection after its key id changed, or pointed at another endpoint), it no longer opens.
// Version 1 rows (sealed before the endpoint was bound) are re-sealed as version 2 at start (boot.ts).
export const SEAL_VERSION = 2;
type RowIdentity = {
  user_id: string;
  id: string;
  access_key_id: string;
  endpoint: string;
  seal_version: number;
};

const identity = (label: string, r: RowIdentity) =>
  associatedData(
    r.seal_version >= 2
      ? [label, r.user_id, r.id, r.access_key_id, r.endpoint]
      : [label, r.user_id, r.id, r.access_key_id],
  );
export const connectionAad = (r: RowIdentity) => identity("obm.connection.secret", r);
export const tokenAad = (r: RowIdentity) => identity("obm.connection.token", r);

/** The decrypted credentials of a connection row, for server-side store calls only. Fails closed. */
export function credentialsOf(row: ConnectionRow): StoreCredentials {
  const keys = openingKeys();
  let secretAccessKey: string;
  let sessionToken: string | undefined;
  try {
    secretAccessKey = open(row.secret_sealed, keys, connectionAad(row));
    sessionToken = row.session_token_sealed ? open(row.session_token_sealed, keys, tokenAad(row)) : undefined;
  } catch (err) {
    // Never fall back to anything. The usual cause is a changed master key.
    throw new AppError(
      "internal",
      "The stored secret of this connection cannot be decrypted (the server's master key changed?). Its owner must enter the secret access key again.",
      { cause: err },
    );
  }
  return {
    provider: row.provider,
    region: row.region,
    endpoint: row.endpoint,
    addressing: row.addressing,
    accessKeyId: row.access_key_id,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
  };
}
