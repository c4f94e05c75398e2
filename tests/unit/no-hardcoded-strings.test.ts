import fs from "node:fs";
import path from "node:path";

// Every word a person reads comes from messages/*.json. This finds text written straight into JSX (between
// tags) and into the attributes people hear or see (aria-label, title, alt, placeholder) in every page and
// component. Technical tokens without spaces (a region id, a URL scheme) may stand as placeholders.

const root = path.join(__dirname, "..", "..");

function tsxFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsxFiles(p) : p.endsWith(".tsx") ? [p] : [];
  });
}

const LETTERS = /[A-Za-z\u4e00-\u9fff]{2,}/;

export function hardCoded(source: string): string[] {
  const found: string[] = [];
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  // Text between a tag's ">" and the next "<" on the same line; not after an arrow "=>", and not code
  // (TypeScript generics and expressions carry code punctuation).
  for (const m of code.matchAll(/(?<!=)>([^<>{}\n]+)</g)) {
    const text = m[1]!.trim();
    if (text && LETTERS.test(text) && !/[();=:|&]/.test(text)) found.push(text);
  }
  for (const m of code.matchAll(/\b(aria-label|title|alt|placeholder)="([^"]*)"/g)) {
    const [, attr, value] = m;
    if (LETTERS.test(value!) && !(attr === "placeholder" && !/\s/.test(value!)))
      found.push(`${attr}="${value}"`);
  }
  return found;
}

describe("no hard-coded UI text", () => {
  it("finds text in JSX and in spoken attributes (the check itself works)", () => {
    expect(hardCoded(`<p className="x">Upload files</p>`)).toEqual(["Upload files"]);
    expect(hardCoded(`<button aria-label="Close dialog">x</button>`)).toEqual(['aria-label="Close dialog"']);
    expect(hardCoded(`<p>上传文件</p>`)).toEqual(["上传文件"]);
    expect(hardCoded(`<p>{t("upload")}</p>`)).toEqual([]);
    expect(hardCoded(`const f = (x: T) => Promise<void>;`)).toEqual([]);
    expect(hardCoded(`<input placeholder="cn-north-4" />`)).toEqual([]);
    expect(hardCoded(`<button>Save</button>`)).toEqual(["Save"]);
  });

  it.each(
    tsxFiles(path.join(root, "app"))
      .concat(tsxFiles(path.join(root, "components")))
      .map((f) => [path.relative(root, f), f]),
  )("%s takes every visible string from the catalogs", (_, file) => {
    expect(hardCoded(fs.readFileSync(file, "utf8"))).toEqual([]);
  });
});
