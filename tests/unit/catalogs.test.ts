import en from "@/messages/en.json";
import zhCN from "@/messages/zh-CN.json";

function keys(obj: object, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === "object" ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe("message catalogs", () => {
  it("have the same keys in English and Chinese", () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });

  it("have no empty message", () => {
    for (const catalog of [en, zhCN]) {
      for (const k of keys(catalog)) {
        const v = k.split(".").reduce<unknown>((o, part) => (o as Record<string, unknown>)[part], catalog);
        expect(typeof v === "string" && v.trim().length > 0).toBe(true);
      }
    }
  });
});
