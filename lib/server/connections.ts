import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { parseCredentialsCsv } from "@/lib/credentials-csv";
import { obsEndpoint } from "@/lib/obs/regions";
import {
  connectionSchema,
  connectionTestSchema,
  maskAccessKeyId,
  type Connection,
  type ConnectionTest,
  type CreateConnection,
  type importConnectionSchema,
  type UpdateConnection,
} from "@/lib/validation/connections";
import { log } from "./log";
import { AppError } from "./http/app-error";
import type { SessionUser } from "./auth/session";
import { masterKey, openingKeys } from "./crypto/master-key";
import { open, seal } from "./crypto/secret-box";
import { connectionAad, SEAL_VERSION, tokenAad } from "./connections-crypto";
import {
  deleteConnectionRow,
  insertConnectionRow,
  nameTaken,
  saveLastTest,
  updateConnectionRow,
} from "./db/connections";
import type { StoreAccess } from "./access/authorize";
import { allHolds, type Hold } from "./access/holds";
import { listBuckets, writeProbe } from "./s3/gateway";
import { refusedEndpointHost } from "./s3/address-guard";
import { storePolicy } from "./s3/client";
import { storeErrorCode } from "./s3/errors";

function toConnection({ row, access }: Hold): Connection {
  let lastTest: ConnectionTest | null = null;
  if (row.last_test && access.relation !== "grantee") {
    const parsed = connectionTestSchema.safeParse(JSON.parse(row.last_test));
    lastTest = parsed.success ? parsed.data : null;
  }
  // Parsed by the strict response schema: a field that is not in it (a secret) cannot slip out.
  return connectionSchema.parse({
    id: row.id,
    name: row.name,
    provider: row.provider,
    region: row.region,
    endpoint: row.endpoint,
    addressing: row.addressing,
    accessKeyIdMasked: maskAccessKeyId(row.access_key_id),
    hasSecret: row.secret_sealed.length > 0,
    hasSessionToken: row.session_token_sealed !== null,
    sessionTokenExpiresAt: row.session_token_expires_at
      ? new Date(row.session_token_expires_at).toISOString()
      : null,
    // "Default" is the owner's choice; for anyone else the key is simply one they can use.
    isDefault: access.relation === "owner" && row.is_default === 1,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    lastTest,
    owner: { id: row.user_id, username: row.owner_name },
    access,
  });
}

function resolveEndpoint(
  provider: "obs" | "s3",
  region: string,
  endpoint: string | undefined | null,
): string {
  if (endpoint) return endpoint;
  if (provider === "obs") return obsEndpoint(region);
  throw new AppError("validation_failed", "endpoint: is required for an S3-compatible store");
}

function checkEndpointAllowed(endpoint: string): void {
  const refused = refusedEndpointHost(endpoint, storePolicy());
  if (refused) {
    throw new AppError(
      "validation_failed",
      `endpoint: ${refused} is a private or loopback address, which this server does not connect to (an administrator can allow it in PRIVATE_ENDPOINTS_ALLOW, or all private addresses with ALLOW_PRIVATE_ENDPOINTS=true)`,
    );
  }
}

async function checkNameFree(userId: string, name: string, exceptId?: string) {
  if (await nameTaken(userId, name, exceptId)) {
    throw new AppError("conflict", `name: you already have a connection named "${name}"`);
  }
}

/** Every connection the user holds: their own, those shared with them, and for an administrator all. */
export async function listConnections(user: SessionUser): Promise<Connection[]> {
  return (await allHolds(user)).map(toConnection);
}

/** The connection a page is about: the one named in its URL, else the default, else the first held. */
export function pickConnection(
  connections: Connection[],
  wanted: string | undefined,
): Connection | undefined {
  return connections.find((c) => c.id === wanted) ?? connections.find((c) => c.isDefault) ?? connections[0];
}

export function getConnection(store: StoreAccess): Connection {
  return toConnection(store);
}

export async function createConnection(user: SessionUser, input: CreateConnection): Promise<Connection> {
  const endpoint = resolveEndpoint(input.provider, input.region, input.endpoint);
  checkEndpointAllowed(endpoint);
  await checkNameFree(user.userId, input.name);
  const now = Date.now();
  const identity = {
    user_id: user.userId,
    id: randomUUID(),
    access_key_id: input.accessKeyId,
    endpoint,
    seal_version: SEAL_VERSION,
  };
  const key = masterKey();
  const row = await insertConnectionRow({
    ...identity,
    name: input.name,
    provider: input.provider,
    region: input.region,
    endpoint,
    addressing: input.addressing ?? (input.provider === "obs" ? "virtual" : "path"),
    secret_sealed: seal(input.secretAccessKey, key, connectionAad(identity)),
    session_token_sealed: input.sessionToken ? seal(input.sessionToken, key, tokenAad(identity)) : null,
    session_token_expires_at: input.sessionTokenExpiresAt ? Date.parse(input.sessionTokenExpiresAt) : null,
    is_default: input.isDefault ? 1 : 0,
    last_test: null,
    created_at: now,
    updated_at: now,
  });
  log.info("connection created", { userId: user.userId, connectionId: row.id, provider: row.provider });
  return toConnection({
    row: { ...row, owner_name: user.username },
    access: { relation: "owner" },
  });
}

/** Owner or administrator only (the operation table says so); the owner's id scopes every write. */
export async function updateConnection(store: StoreAccess, input: UpdateConnection): Promise<Connection> {
  const row = store.row;
  const id = row.id;
  const ownerId = row.user_id;
  if (input.name !== undefined) await checkNameFree(ownerId, input.name, id);
  const region = input.region ?? row.region;
  // An endpoint typed by the user wins; null asks for the region's own; a region change moves an endpoint
  // that was derived from the old region, and leaves a custom one alone.
  const derived = row.provider === "obs" && row.endpoint === obsEndpoint(row.region);
  const endpoint =
    input.endpoint !== undefined
      ? resolveEndpoint(row.provider, region, input.endpoint)
      : derived
        ? obsEndpoint(region)
        : row.endpoint;
  checkEndpointAllowed(endpoint);
  // The secret goes only where its owner sent it: pointing it at another endpoint takes the secret again
  // (whoever changes the endpoint must know it), except for OBS's own endpoint of the chosen region.
  const official = row.provider === "obs" && endpoint === obsEndpoint(region);
  if (endpoint !== row.endpoint && !official && input.secretAccessKey === undefined) {
    throw new AppError(
      "validation_failed",
      "secretAccessKey: is required when the endpoint changes (a secret is bound to the endpoint it is used with)",
    );
  }

  const identity = {
    user_id: row.user_id,
    id: row.id,
    access_key_id: input.accessKeyId ?? row.access_key_id,
    endpoint,
    seal_version: SEAL_VERSION,
  };
  const key = masterKey();
  // Everything sealed is bound to the key id and the endpoint: when either changes, a kept value is opened
  // under the old identity and sealed under the new one (a new key id always comes with a new secret).
  const moved =
    identity.access_key_id !== row.access_key_id ||
    endpoint !== row.endpoint ||
    row.seal_version !== SEAL_VERSION;
  const reseal = (sealed: string, aad: (r: typeof row | typeof identity) => Buffer) =>
    seal(open(sealed, openingKeys(), aad(row)), key, aad(identity));
  let secretSealed = row.secret_sealed;
  if (input.secretAccessKey !== undefined)
    secretSealed = seal(input.secretAccessKey, key, connectionAad(identity));
  else if (moved) secretSealed = reseal(secretSealed, connectionAad);
  let tokenSealed = row.session_token_sealed;
  if (input.sessionToken === null || input.sessionToken === "") tokenSealed = null;
  else if (input.sessionToken !== undefined) tokenSealed = seal(input.sessionToken, key, tokenAad(identity));
  else if (tokenSealed && moved) tokenSealed = reseal(tokenSealed, tokenAad);
  const credentialsChanged =
    input.secretAccessKey !== undefined || input.sessionToken !== undefined || endpoint !== row.endpoint;

  const updated = await updateConnectionRow(ownerId, id, {
    ...(input.name !== undefined ? { name: input.name } : {}),
    region,
    endpoint,
    ...(input.addressing !== undefined ? { addressing: input.addressing } : {}),
    ...(input.isDefault === true ? { is_default: 1 } : {}),
    access_key_id: identity.access_key_id,
    secret_sealed: secretSealed,
    session_token_sealed: tokenSealed,
    seal_version: SEAL_VERSION,
    ...(input.sessionTokenExpiresAt !== undefined
      ? {
          session_token_expires_at: input.sessionTokenExpiresAt
            ? Date.parse(input.sessionTokenExpiresAt)
            : null,
        }
      : {}),
    ...(credentialsChanged || input.region !== undefined || input.addressing !== undefined
      ? { last_test: null }
      : {}),
    updated_at: Date.now(),
  });
  if (!updated) throw new AppError("not_found", "No such connection.");
  log.info("connection updated", { userId: store.user.userId, connectionId: id });
  return toConnection({ row: { ...updated, owner_name: row.owner_name }, access: store.access });
}

export async function deleteConnection(store: StoreAccess): Promise<void> {
  if (!(await deleteConnectionRow(store.row.user_id, store.row.id))) {
    throw new AppError("not_found", "No such connection.");
  }
  log.info("connection deleted", { userId: store.user.userId, connectionId: store.row.id });
}

export async function importCredentialsCsv(
  user: SessionUser,
  input: z.output<typeof importConnectionSchema>,
): Promise<Connection> {
  const parsed = parseCredentialsCsv(input.csv);
  if (!parsed.ok) {
    throw new AppError("validation_failed", `csv: ${parsed.message}`, {
      details: { problem: parsed.problem, ...(parsed.found ? { found: parsed.found } : {}) },
    });
  }
  const { userName, accessKeyId, secretAccessKey } = parsed.credential;
  let name = input.name ?? `${userName ?? maskAccessKeyId(accessKeyId)} (${input.region})`;
  // A default name that is taken gets a number; a name the user typed is theirs to change.
  if (!input.name) {
    for (let n = 2; (await nameTaken(user.userId, name)) && n < 100; n++) {
      name = `${userName ?? maskAccessKeyId(accessKeyId)} (${input.region}) ${n}`;
    }
  }
  return createConnection(user, {
    name,
    provider: input.provider,
    region: input.region,
    endpoint: input.endpoint,
    addressing: input.addressing,
    accessKeyId,
    secretAccessKey,
  });
}

/**
 * Lists buckets and, when a bucket is named, writes and deletes a probe object. Each failure is explained;
 * the result is stored on the connection so the list shows it.
 */
export async function testConnection(store: StoreAccess, bucket?: string): Promise<ConnectionTest> {
  const creds = store.creds;
  const steps: NonNullable<ConnectionTest["steps"]> = [];
  const fail = (step: (typeof steps)[number]["step"], err: unknown): ConnectionTest => {
    const app = err instanceof AppError ? err : null;
    const code = app?.details?.storeCode ? String(app.details.storeCode) : storeErrorCode(err);
    const message = app?.message ?? "The store could not be reached.";
    steps.push({ step, ok: false, code, message });
    return { ok: false, at: new Date().toISOString(), code, message, steps, bucketCount: null };
  };

  let result: ConnectionTest;
  let bucketCount: number | null = null;
  try {
    bucketCount = (await listBuckets(creds, { maxAttempts: 1 })).length;
    steps.push({
      step: "list-buckets",
      ok: true,
      code: null,
      message: `The key works: ${bucketCount} bucket(s) visible.`,
    });
    result = {
      ok: true,
      at: new Date().toISOString(),
      code: null,
      message: `The key works: ${bucketCount} bucket(s) visible.`,
      steps,
      bucketCount,
    };
  } catch (err) {
    result = fail("list-buckets", err);
  }
  if (result.ok && bucket) {
    const probe = await writeProbe(creds, bucket, { maxAttempts: 1 });
    if (probe.error) result = { ...fail(probe.step, probe.error), bucketCount };
    else {
      steps.push({ step: "put-object", ok: true, code: null, message: `Wrote a probe object to ${bucket}.` });
      steps.push({ step: "delete-object", ok: true, code: null, message: "Deleted the probe object." });
      result = {
        ...result,
        message: `The key works: ${bucketCount} bucket(s) visible, and it can write to and delete from ${bucket}.`,
        steps,
      };
    }
  }
  await saveLastTest(store.row.user_id, store.row.id, JSON.stringify(result));
  log.info("connection tested", {
    userId: store.user.userId,
    connectionId: store.row.id,
    ok: result.ok,
    code: result.code,
  });
  return result;
}
