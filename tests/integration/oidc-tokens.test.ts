import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { adminClient, APP_ORIGIN, TestClient } from "../helpers/api-client";

// What a real provider never sends on purpose, so a provider written for this test sends it: an ID token
// for another audience, expired, from the future, signed with a key it does not publish, with another nonce
// or issuer. Each is refused with a sign-in page that says why; a rotated key and a back-channel logout
// token signed with the provider's key work. (The real-provider flow is in oidc.test.ts.)

interface Key {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}
async function newKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

let server: http.Server;
let issuer: string;
let published: Key[] = [];
/** What the token endpoint answers next: the claims and key of its ID token. */
let next: { claims: Record<string, unknown>; key: Key; omitIdToken?: boolean } | null = null;
let nonce = "";
const CLIENT_ID = "obm-test";

async function idToken(claims: Record<string, unknown>, key: Key): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: issuer,
    aud: CLIENT_ID,
    sub: "sub-1",
    iat: now,
    exp: now + 300,
    nonce,
    preferred_username: "rogue-user",
    ...claims,
  })
    .setProtectedHeader({ alg: "RS256", kid: key.kid })
    .sign(key.privateKey);
}

beforeAll(async () => {
  published = [await newKey("k1")];
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/.well-known/openid-configuration") {
      return send(200, {
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (url.pathname === "/jwks") return send(200, { keys: published.map((k) => k.jwk) });
    if (url.pathname === "/token") {
      req.resume();
      req.on("end", () => {
        const answer = next;
        next = null;
        if (!answer) return send(400, { error: "invalid_grant" });
        void idToken(answer.claims, answer.key).then((token) =>
          send(200, {
            access_token: "at",
            token_type: "Bearer",
            expires_in: 300,
            ...(answer.omitIdToken ? {} : { id_token: token }),
          }),
        );
      });
      return;
    }
    send(404, {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, {
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: "s3cr3t",
    OIDC_NAME: "Rogue",
  });
  await adminClient();
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A sign-in up to the callback, with the token endpoint set to answer `answer`. */
async function signIn(answer: NonNullable<typeof next>) {
  const c = new TestClient();
  const start = await c.get("/api/auth/oidc/start");
  const location = new URL(start.headers.get("location")!);
  nonce = location.searchParams.get("nonce")!;
  const state = location.searchParams.get("state")!;
  const attempt = /obm_oidc=([^;]+)/.exec(start.headers.get("set-cookie") ?? "")![1];
  next = answer;
  const r = await c.request("GET", `/api/auth/oidc/callback?code=c0de&state=${state}`, undefined, {
    cookie: `obm_oidc=${attempt}`,
  });
  const error = new URL(r.headers.get("location") ?? "/", APP_ORIGIN).searchParams.get("sso_error");
  return { client: c, error };
}

describe("ID tokens that must be refused", () => {
  it("accepts a good one", async () => {
    const { client, error } = await signIn({ claims: {}, key: published[0]! });
    expect(error).toBeNull();
    expect((await client.get<{ user: { username: string } }>("/api/auth/session")).body.user.username).toBe(
      "rogue-user",
    );
  });

  it.each([
    ["another audience", { aud: "someone-else" }, "token_invalid"],
    ["another issuer", { iss: "http://127.0.0.1:1" }, "token_invalid"],
    ["another nonce", { nonce: "not-the-one-we-sent" }, "token_invalid"],
    [
      "an expired one",
      { iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 },
      "clock_skew",
    ],
    ["one not valid before an hour from now", { nbf: Math.floor(Date.now() / 1000) + 3600 }, "clock_skew"],
  ])("refuses %s", async (_name, claims, failure) => {
    const { client, error } = await signIn({ claims, key: published[0]! });
    expect(error).toBe(failure);
    expect((await client.get("/api/connections")).status).toBe(401);
  });

  it("refuses a token signed with a key the provider does not publish", async () => {
    const stranger = await newKey("k1"); // the same key id, another key: the signature fails
    expect((await signIn({ claims: {}, key: stranger })).error).toBe("token_invalid");
    const unknown = await newKey("k-unknown");
    expect((await signIn({ claims: {}, key: unknown })).error).toBe("token_invalid");
  });

  it("refuses an answer without an ID token", async () => {
    expect((await signIn({ claims: {}, key: published[0]!, omitIdToken: true })).error).toBe("token_invalid");
  });

  it("signs in after the provider rotates its keys", async () => {
    const rotated = await newKey("k2");
    published = [rotated];
    const { error } = await signIn({ claims: {}, key: rotated });
    expect(error).toBeNull();
  });

  it("says so when the provider cannot be reached", async () => {
    const { forgetDiscovery } = await import("@/lib/server/auth/oidc-client");
    forgetDiscovery();
    const port = (server.address() as AddressInfo).port;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    const r = await new TestClient().get("/api/auth/oidc/start");
    expect(new URL(r.headers.get("location")!, APP_ORIGIN).searchParams.get("sso_error")).toBe(
      "provider_unreachable",
    );
    await new Promise<void>((r2) => server.listen(port, "127.0.0.1", r2));
  });
});

describe("back-channel logout", () => {
  async function logoutToken(claims: Record<string, unknown>, key: Key) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: issuer,
      aud: CLIENT_ID,
      iat: now,
      jti: `j-${Math.random()}`,
      sub: "sub-1",
      events: { "http://schemas.openid.net/event/backchannel-logout": {} },
      ...claims,
    })
      .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "logout+jwt" })
      .sign(key.privateKey);
  }
  const post = (token: string) =>
    new TestClient().request("POST", "/api/auth/oidc/backchannel-logout", `logout_token=${token}`, {
      "content-type": "application/x-www-form-urlencoded",
      origin: "",
    });

  it("ends the user's sessions at once, with a token signed by the provider", async () => {
    const { client } = await signIn({ claims: {}, key: published[0]! });
    expect((await client.get("/api/connections")).status).toBe(200);
    const r = await post(await logoutToken({}, published[0]!));
    expect(r.status).toBe(200);
    expect((r.body as { ended: number }).ended).toBeGreaterThanOrEqual(1);
    expect((await client.get("/api/connections")).status).toBe(401);
  });

  it("refuses a token it cannot trust, ending nothing", async () => {
    const { client } = await signIn({ claims: {}, key: published[0]! });
    const forged = await logoutToken({}, await newKey(published[0]!.kid));
    expect((await post(forged)).status).toBe(400);
    expect((await post(await logoutToken({ aud: "other" }, published[0]!))).status).toBe(400);
    expect((await post(await logoutToken({ events: {} }, published[0]!))).status).toBe(400);
    expect((await post(await logoutToken({ nonce: "n" }, published[0]!))).status).toBe(400);
    expect((await client.get("/api/connections")).status).toBe(200);
  });
});
