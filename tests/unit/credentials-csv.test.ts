import { parseCredentialsCsv } from "@/lib/credentials-csv";

const AK = "HPUAXXTESTKEY0000001";
const SK = "s3cretKeyValue/with+chars=0123456789abcd";

describe("credentials.csv", () => {
  it("reads Huawei's file", () => {
    const r = parseCredentialsCsv(`User Name,Access Key Id,Secret Access Key\nml-user,${AK},${SK}\n`);
    expect(r).toEqual({
      ok: true,
      credential: { userName: "ml-user", accessKeyId: AK, secretAccessKey: SK },
    });
  });

  it("reads AWS's variant, with extra columns in another order", () => {
    const r = parseCredentialsCsv(
      `User name,Password,Access key ID,Secret access key,Console login link\nbob,pw,${AK},${SK},https://x\n`,
    );
    expect(r).toEqual({ ok: true, credential: { userName: "bob", accessKeyId: AK, secretAccessKey: SK } });
    expect(parseCredentialsCsv(`Access key ID,Secret access key\n${AK},${SK}`)).toEqual({
      ok: true,
      credential: { userName: null, accessKeyId: AK, secretAccessKey: SK },
    });
  });

  it("accepts a UTF-8 BOM, CRLF line ends, quoted fields and a trailing blank line", () => {
    const r = parseCredentialsCsv(
      `\uFEFF"User Name","Access Key Id","Secret Access Key"\r\n"ml user, 1","${AK}","${SK}"\r\n\r\n`,
    );
    expect(r).toEqual({
      ok: true,
      credential: { userName: "ml user, 1", accessKeyId: AK, secretAccessKey: SK },
    });
  });

  it("explains an empty file", () => {
    expect(parseCredentialsCsv("")).toMatchObject({ ok: false, problem: "empty" });
    expect(parseCredentialsCsv("\n\r\n  \n")).toMatchObject({ ok: false, problem: "empty" });
  });

  it("explains a file with the wrong columns, listing what it found", () => {
    const r = parseCredentialsCsv("name,email\nada,ada@example.com\n");
    expect(r).toMatchObject({ ok: false, problem: "no_key_columns", found: ["name", "email"] });
    if (!r.ok) expect(r.message).toMatch(/Access Key Id/);
  });

  it("explains a header without a key, and a malformed row", () => {
    expect(parseCredentialsCsv("User Name,Access Key Id,Secret Access Key\n")).toMatchObject({
      ok: false,
      problem: "no_rows",
    });
    expect(parseCredentialsCsv(`User Name,Access Key Id,Secret Access Key\nu,${AK},\n`)).toMatchObject({
      ok: false,
      problem: "bad_row",
    });
    expect(
      parseCredentialsCsv(`User Name,Access Key Id,Secret Access Key\nu,AK WITH SPACE,${SK}\n`),
    ).toMatchObject({
      ok: false,
      problem: "bad_row",
    });
  });

  it("refuses a 10 MB file with a message, before parsing it", () => {
    const big = `User Name,Access Key Id,Secret Access Key\n${"x,y,z\n".repeat((10 * 1024 * 1024) / 6)}`;
    const r = parseCredentialsCsv(big);
    expect(r).toMatchObject({ ok: false, problem: "too_large" });
    if (!r.ok) expect(r.message).toMatch(/too large to be a credentials.csv/);
  });

  it("refuses several keys in one file", () => {
    expect(parseCredentialsCsv(`Access Key Id,Secret Access Key\n${AK},${SK}\n${AK}2,${SK}\n`)).toMatchObject(
      { ok: false, problem: "several_rows" },
    );
  });
});
