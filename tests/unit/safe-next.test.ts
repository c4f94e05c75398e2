import { safeNext } from "@/lib/safe-next";

// After sign-in only a path of this app may follow: every form that a browser could take for another site
// falls back to "/".
describe("the next parameter after sign-in", () => {
  it.each([
    ["/", "/"],
    ["/buckets", "/buckets"],
    ["/buckets/ml-data/team-a?connection=x&filter=a", "/buckets/ml-data/team-a?connection=x&filter=a"],
    ["/buckets/%E4%B8%AD%E6%96%87", "/buckets/%E4%B8%AD%E6%96%87"],
    ["/links#top", "/links#top"],
  ])("keeps the app's own path %j", (input, out) => {
    expect(safeNext(input)).toBe(out);
  });

  it.each([
    null,
    undefined,
    "",
    "buckets",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    " /buckets",
    "/%2F%2Fevil.example",
    "/%2fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%255Cevil.example",
    "/%252F%252Fevil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    `/${"a".repeat(3000)}`,
  ])("refuses %j", (input) => {
    expect(safeNext(input)).toBe("/");
  });
});
