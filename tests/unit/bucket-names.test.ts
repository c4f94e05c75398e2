import {
  BUCKET_NAME_RULES,
  bucketNameProblem,
  bucketNameSchema,
  bucketNameWarnings,
} from "@/lib/validation/buckets";

describe("bucket names", () => {
  it.each([
    ["ab", "length"],
    ["", "length"],
    ["a".repeat(64), "length"],
    ["My-Bucket", "charset"],
    ["UPPER", "charset"],
    ["under_score", "charset"],
    ["has space", "charset"],
    ["中文桶名", "charset"],
    ["emoji-😀", "charset"],
    ["slash/name", "charset"],
    ["-leading", "edges"],
    ["trailing-", "edges"],
    [".leading", "edges"],
    ["trailing.", "edges"],
    ["192.168.1.1", "ip"],
    ["10.0.0.255", "ip"],
    ["1.2.3.4", "ip"],
    ["double..dot", "adjacent"],
    ["dot.-hyphen", "adjacent"],
    ["hyphen-.dot", "adjacent"],
    ["a..b", "adjacent"],
    ["colon:name", "charset"],
  ] as const)("refuses %j: %s", (name, rule) => {
    expect(bucketNameProblem(name)).toBe(rule);
    const r = bucketNameSchema.safeParse(name);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0]?.message).toBe(BUCKET_NAME_RULES[rule]);
  });

  it.each(["abc", "my-training-data", "data.v2", "a".repeat(63), "123", "1.2.3", "x-1-y"])(
    "accepts %j",
    (name) => {
      expect(bucketNameProblem(name)).toBeNull();
    },
  );

  it("warns about dots in virtual-hosted mode only", () => {
    expect(bucketNameWarnings("data.v2", "virtual")).toEqual(["dots_virtual_hosted"]);
    expect(bucketNameWarnings("data.v2", "path")).toEqual([]);
    expect(bucketNameWarnings("data-v2", "virtual")).toEqual([]);
  });
});
