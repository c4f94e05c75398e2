import "server-only";
import { associatedData } from "./crypto/secret-box";

// The identity each sealed value is bound to: copied into another row (another user, another connection,
// or the same connection after its key id changed), it no longer opens.
type RowIdentity = { user_id: string; id: string; access_key_id: string };

export const connectionAad = (r: RowIdentity) =>
  associatedData(["obm.connection.secret", r.user_id, r.id, r.access_key_id]);
export const tokenAad = (r: RowIdentity) =>
  associatedData(["obm.connection.token", r.user_id, r.id, r.access_key_id]);
