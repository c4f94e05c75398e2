#!/usr/bin/env node
// A real OpenID Connect provider on loopback, for the test suite and for trying single sign-on by hand:
// the certified `oidc-provider` package with its development sign-in pages (any listed account, any
// password), refresh tokens, RP-initiated and back-channel logout. Every start makes new signing keys, so
// restarting it is a key rotation.
//
//   node scripts/oidc-provider.mjs --redirect http://localhost:3000/api/auth/oidc/callback \
//     [--port 9400] [--accounts accounts.json] [--backchannel http://localhost:3000/api/auth/oidc/backchannel-logout]
//
// Prints one line of JSON ({ issuer, clientId, clientSecret }) when it listens, then serves until stopped.
// accounts.json: { "mei": { "groups": ["ml-vision"], "email": "mei@example.com" } }, read on every lookup,
// so removing an account takes effect at once (its refresh tokens stop working).
import fs from "node:fs";
import { generateKeyPair, exportJWK } from "jose";
import Provider from "oidc-provider";

function args(argv) {
  const out = { redirect: [], port: 0, accounts: null, backchannel: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === "--redirect") out.redirect.push(v);
    else if (a === "--port") out.port = Number(v);
    else if (a === "--accounts") out.accounts = v;
    else if (a === "--backchannel") out.backchannel = v;
    else continue;
    i++;
  }
  return out;
}

const DEFAULT_ACCOUNTS = { mei: { groups: ["ml-vision"], email: "mei@example.com" } };

function readAccounts(file) {
  if (!file) return DEFAULT_ACCOUNTS;
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return {};
  }
}

export async function startOidcProvider({
  port = 0,
  redirect = [],
  accounts = null,
  backchannel = null,
} = {}) {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = {
    ...(await exportJWK(privateKey)),
    alg: "RS256",
    use: "sig",
    kid: `k-${Date.now().toString(36)}`,
  };
  const clientId = "obs-bucket-manager";
  const clientSecret = "a-test-client-secret-of-32-bytes!";
  const postLogout = redirect.map((r) => new URL("/login?signedOut=1", r).toString());
  const configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirect,
        post_logout_redirect_uris: postLogout,
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        ...(backchannel
          ? { backchannel_logout_uri: backchannel, backchannel_logout_session_required: true }
          : {}),
      },
    ],
    jwks: { keys: [jwk] },
    claims: {
      openid: ["sub"],
      profile: ["preferred_username", "name"],
      email: ["email"],
      groups: ["groups"],
    },
    scopes: ["openid", "offline_access", "profile", "email", "groups"],
    // Claims in the ID token itself, as Keycloak and Azure AD put groups there.
    conformIdTokenClaims: false,
    issueRefreshToken: async () => true,
    features: {
      devInteractions: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    cookies: { keys: ["a-cookie-key-for-the-test-provider"] },
    // The provider refuses to call special-use addresses (SSRF protection); this one lives on loopback and
    // calls the app on loopback for back-channel logout, so that check is lifted here.
    fetch: (url, options) => {
      delete options.dispatcher;
      return fetch(url, options);
    },
    findAccount: async (_ctx, id) => {
      const account = readAccounts(accounts)[id];
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          preferred_username: id,
          name: id,
          email: account.email ?? `${id}@example.com`,
          groups: account.groups ?? [],
        }),
      };
    },
  };
  // Listen first, so the issuer carries the real port.
  const { createServer } = await import("node:http");
  const server = createServer();
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration);
  provider.on("server_error", (_ctx, err) => process.stderr.write(`oidc-provider: ${err.stack}\n`));
  provider.on("backchannel.error", (_ctx, err) =>
    process.stderr.write(`oidc-provider back-channel: ${err.message} ${err.cause?.message ?? ""}\n`),
  );
  provider.on("backchannel.success", (_ctx, client) =>
    process.stderr.write(`oidc-provider back-channel logout sent to ${client.clientId}\n`),
  );
  server.on("request", provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const opts = args(process.argv.slice(2));
  const p = await startOidcProvider(opts);
  process.stdout.write(
    `${JSON.stringify({ issuer: p.issuer, clientId: p.clientId, clientSecret: p.clientSecret })}\n`,
  );
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => void p.close().then(() => process.exit(0)));
}
