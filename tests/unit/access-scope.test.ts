import {
  browseView,
  bucketsFor,
  canBucket,
  canPath,
  pathTrick,
  scopeSchema,
  within,
  type Access,
} from "@/lib/access/scope";
import { roleAtLeast } from "@/lib/access/roles";

const grantee = (...grants: Extract<Access, { relation: "grantee" }>["grants"]): Access => ({
  relation: "grantee",
  grants,
});
const teamA = grantee({ role: "uploader", scope: [{ bucket: "ml-data", prefix: "team-a/" }] });

describe("roles", () => {
  it("each includes the one before", () => {
    expect(roleAtLeast("manager", "viewer")).toBe(true);
    expect(roleAtLeast("editor", "uploader")).toBe(true);
    expect(roleAtLeast("uploader", "editor")).toBe(false);
    expect(roleAtLeast("viewer", "viewer")).toBe(true);
  });
});

describe("a key inside a folder scope", () => {
  it.each([
    ["team-a/x.jpg", true],
    ["team-a/", true],
    ["team-a/deep/er/x", true],
    ["team-a//x", true],
    ["team-a", false],
    ["team-a-old/x", false],
    ["team-b/x", false],
    ["Team-a/x", false],
    ["team-a/../team-b/x", false],
    ["team-a/./x", false],
    ["team-a/%2e%2e/team-b/x", false],
    ["team-a/%252e%252e/team-b/x", false],
    ["team-a/x%2f..%2f..%2fteam-b/y", false],
    ["team-a/\u2025/team-b/x", false], // TWO DOT LEADER: ".." under NFKC
    ["ｔｅａｍ-a/x", false], // fullwidth letters: another key
    ["team-a/..\\team-b\\x", false],
    ["team-a/\u0000/x", false],
  ])("%j → %s", (key, inside) => {
    expect(within(key, "team-a/")).toBe(inside);
  });

  it("the whole bucket holds every key, tricks included (nothing to escape from)", () => {
    expect(within("../x", "")).toBe(true);
  });

  it("names the trick", () => {
    expect(pathTrick("a/../b")).toBe("dot-segment");
    expect(pathTrick("a\\b")).toBe("backslash");
    expect(pathTrick("a\u0007")).toBe("control");
    expect(pathTrick("a/b c/d.jpg")).toBeNull();
  });
});

describe("scopes as stored", () => {
  it("accepts all, buckets and folders", () => {
    expect(scopeSchema.parse("all")).toBe("all");
    expect(scopeSchema.parse([{ bucket: "ml-data" }])).toEqual([{ bucket: "ml-data", prefix: "" }]);
    expect(scopeSchema.parse([{ bucket: "ml-data", prefix: "team-a/x/" }])).toEqual([
      { bucket: "ml-data", prefix: "team-a/x/" },
    ]);
  });

  it.each([
    [[{ bucket: "ml-data", prefix: "team-a" }], 'end with "/"'],
    [[{ bucket: "ml-data", prefix: "/team-a/" }], 'start with "/"'],
    [[{ bucket: "ml-data", prefix: "team-a//b/" }], "//"],
    [[{ bucket: "ml-data", prefix: "team-a/../b/" }], ".."],
    [[{ bucket: "Bad_Bucket" }], "lowercase"],
    [[], "at least one"],
    ["some", "all"],
  ])("refuses %j with the rule", (value, rule) => {
    const r = scopeSchema.safeParse(value);
    expect(r.success).toBe(false);
    expect((r.error?.issues ?? []).map((i) => i.message).join("; ")).toContain(rule);
  });
});

describe("what a grantee may reach", () => {
  it("needs the role and the place together", () => {
    const a = grantee(
      { role: "viewer", scope: "all" },
      { role: "editor", scope: [{ bucket: "ml-data", prefix: "team-a/" }] },
    );
    expect(canPath(a, "viewer", "other", "x")).toBe(true);
    expect(canPath(a, "editor", "ml-data", "team-a/x")).toBe(true);
    expect(canPath(a, "editor", "ml-data", "team-b/x")).toBe(false);
    expect(canPath(a, "manager", "ml-data", "team-a/x")).toBe(false);
  });

  it("a folder share is not the whole bucket", () => {
    expect(canBucket(teamA, "uploader", "ml-data", false)).toBe(true);
    expect(canBucket(teamA, "uploader", "ml-data", true)).toBe(false);
    expect(
      canBucket(grantee({ role: "manager", scope: [{ bucket: "b1", prefix: "" }] }), "manager", "b1", true),
    ).toBe(true);
  });

  it("lists only the shared buckets", () => {
    expect(bucketsFor(teamA, "viewer")).toEqual(new Set(["ml-data"]));
    expect(bucketsFor(grantee({ role: "viewer", scope: "all" }), "viewer")).toBe("all");
    expect(bucketsFor({ relation: "owner" }, "manager")).toBe("all");
  });

  it("browses down to the shared folders and no further sideways", () => {
    const deep = grantee({
      role: "viewer",
      scope: [
        { bucket: "ml-data", prefix: "team-a/2026/" },
        { bucket: "ml-data", prefix: "team-b/" },
      ],
    });
    expect(browseView(deep, "viewer", "ml-data", "")).toEqual({
      kind: "partial",
      folders: ["team-a/", "team-b/"],
    });
    expect(browseView(deep, "viewer", "ml-data", "team-a/")).toEqual({
      kind: "partial",
      folders: ["team-a/2026/"],
    });
    expect(browseView(deep, "viewer", "ml-data", "team-a/2026/")).toEqual({ kind: "full" });
    expect(browseView(deep, "viewer", "ml-data", "team-a/2025/")).toEqual({ kind: "denied" });
    expect(browseView(deep, "viewer", "ml-data", "team-c/")).toEqual({ kind: "denied" });
    expect(browseView(deep, "viewer", "other", "")).toEqual({ kind: "denied" });
    expect(browseView(deep, "uploader", "ml-data", "team-b/")).toEqual({ kind: "denied" });
  });
});

describe("scopes typed as lines", () => {
  it("reads buckets, folders and obs:// paths, adding the folder's slash", async () => {
    const { parseScopeLines, formatScopeLines } = await import("@/lib/access/scope-text");
    const parsed = parseScopeLines("ml-data\n  obs://ml-data/team-a/\ns3://raw/x\n\n/bb2/y/z/\r\n");
    expect(parsed).toEqual([
      { bucket: "ml-data", prefix: "" },
      { bucket: "ml-data", prefix: "team-a/" },
      { bucket: "raw", prefix: "x/" },
      { bucket: "bb2", prefix: "y/z/" },
    ]);
    expect(formatScopeLines(scopeSchema.parse(parsed))).toBe("ml-data\nml-data/team-a/\nraw/x/\nbb2/y/z/");
    expect(formatScopeLines("all")).toBe("");
  });
});
