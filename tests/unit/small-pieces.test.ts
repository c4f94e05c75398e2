import { negotiateLocale } from "@/lib/i18n/locales";
import { redact } from "@/lib/server/log";
import { readCookie, sessionCookie } from "@/lib/server/auth/session";

describe("language negotiation", () => {
  it.each([
    [undefined, "zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"],
    [undefined, "en-US,en;q=0.9", "en"],
    [undefined, "fr-FR,zh-TW;q=0.5", "zh-CN"],
    [undefined, "de-DE", "en"],
    [undefined, null, "en"],
    ["zh-CN", "en-US", "zh-CN"],
    ["klingon", "zh", "zh-CN"],
    [undefined, "en;q=0.2,zh;q=0.8", "zh-CN"],
  ])("saved %s + Accept-Language %s → %s", (saved, header, expected) => {
    expect(negotiateLocale(saved, header)).toBe(expected);
  });
});

describe("log redaction", () => {
  it("never writes secret-looking fields, at any depth", () => {
    const out = JSON.stringify(
      redact({
        secretAccessKey: "SK-canary",
        nested: { password: "pw", sessionToken: "tok", list: [{ authorization: "AWS4 x" }] },
        accessKeyId: "AK-visible",
      }),
    );
    expect(out).not.toMatch(/SK-canary|"pw"|tok|AWS4/);
    expect(out).toContain("AK-visible");
  });
});

describe("session cookie", () => {
  it("is HttpOnly, SameSite=Lax and Secure only over https", () => {
    expect(sessionCookie("t", { secure: false, maxAgeSeconds: 10 })).toBe(
      "obm_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=10",
    );
    expect(sessionCookie("t", { secure: true, maxAgeSeconds: 10 })).toMatch(/; Secure$/);
  });

  it("is read from a Cookie header among others", () => {
    expect(readCookie("a=1; obm_session=abc; b=2", "obm_session")).toBe("abc");
    expect(readCookie("a=1", "obm_session")).toBeUndefined();
    expect(readCookie(null, "obm_session")).toBeUndefined();
    // Sent twice (one planted for another path or domain): no value, rather than a guess.
    expect(readCookie("obm_session=mine; obm_session=planted", "obm_session")).toBeUndefined();
    expect(readCookie("__Host-obm_session=x; obm_session=y", "__Host-obm_session")).toBe("x");
  });
});
