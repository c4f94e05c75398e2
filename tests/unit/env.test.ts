import { randomBytes } from "node:crypto";
import path from "node:path";
import { parseEnv } from "@/lib/server/env";

describe("environment", () => {
  it("has working defaults with nothing set", () => {
    const e = parseEnv({});
    expect(e.PORT).toBe(3000);
    expect(e.HOST).toBe("127.0.0.1");
    expect(e.DATA_DIR).toBe(path.resolve("./data"));
    expect(e.ALLOW_PRIVATE_ENDPOINTS).toBe(false);
    expect(e.APP_MASTER_KEY).toBeUndefined();
  });

  it("reads the single sign-on settings", () => {
    const e = parseEnv({
      OIDC_ISSUER: "https://sso.example.com/realms/lab",
      OIDC_CLIENT_ID: "obs-console",
      OIDC_GROUP_TEAMS: " /ml/vision = Vision ; a=b=Team B;",
      OIDC_ADMIN_GROUPS: "admins, ops ,",
      LOCAL_SIGN_IN: "admins",
    });
    expect([...e.OIDC_GROUP_TEAMS]).toEqual([
      ["/ml/vision", "Vision"],
      ["a=b", "Team B"],
    ]);
    expect([...e.OIDC_ADMIN_GROUPS]).toEqual(["admins", "ops"]);
    expect(e.LOCAL_SIGN_IN).toBe("admins");
    expect(parseEnv({}).OIDC_ISSUER).toBeUndefined();
  });

  it("accepts a 32-byte base64 master key", () => {
    const key = randomBytes(32).toString("base64");
    expect(parseEnv({ APP_MASTER_KEY: key }).APP_MASTER_KEY).toBe(key);
  });

  it.each([
    [
      { APP_MASTER_KEY: randomBytes(16).toString("base64") },
      /APP_MASTER_KEY: must be 32 random bytes in base64/,
    ],
    [{ PORT: "70000" }, /PORT: /],
    [{ PORT: "abc" }, /PORT: /],
    [{ APP_ORIGIN: "http://host/path" }, /APP_ORIGIN: must be an origin/],
    [{ ALLOW_PRIVATE_ENDPOINTS: "maybe" }, /ALLOW_PRIVATE_ENDPOINTS: /],
    [{ SESSION_IDLE_TIMEOUT_SECONDS: "-5" }, /SESSION_IDLE_TIMEOUT_SECONDS: /],
    [{ OIDC_ISSUER: "not a url" }, /OIDC_ISSUER: must be the provider's issuer URL/],
    [
      { OIDC_ISSUER: "https://sso.example.com/realms/lab" },
      /OIDC_CLIENT_ID: is required when OIDC_ISSUER is set/,
    ],
    [{ LOCAL_SIGN_IN: "admins" }, /LOCAL_SIGN_IN: admins needs single sign-on/],
    [{ LOCAL_SIGN_IN: "nobody" }, /LOCAL_SIGN_IN: /],
    [{ OIDC_GROUP_TEAMS: "vision" }, /OIDC_GROUP_TEAMS: "vision" is not group=Team/],
  ])("refuses %j naming the variable", (source, message) => {
    expect(() => parseEnv(source)).toThrow(message);
  });

  it("reads booleans the way people write them", () => {
    expect(parseEnv({ ALLOW_PRIVATE_ENDPOINTS: "true" }).ALLOW_PRIVATE_ENDPOINTS).toBe(true);
    expect(parseEnv({ ALLOW_PRIVATE_ENDPOINTS: "1" }).ALLOW_PRIVATE_ENDPOINTS).toBe(true);
    expect(parseEnv({ ALLOW_PRIVATE_ENDPOINTS: "false" }).ALLOW_PRIVATE_ENDPOINTS).toBe(false);
    expect(parseEnv({ ALLOW_PRIVATE_ENDPOINTS: "" }).ALLOW_PRIVATE_ENDPOINTS).toBe(false);
  });
});
