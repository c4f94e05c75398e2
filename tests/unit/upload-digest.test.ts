import { createHash } from "node:crypto";
import { digest } from "@/lib/upload/digest";

// Content-MD5 of what the page uploads. In the browser a worker reads and hashes (md5-worker.ts; the e2e
// upload tests run it in Chromium); where there is no Worker, as here, the main thread does the same.

const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("base64");

describe("digest", () => {
  const bytes = new Uint8Array(Buffer.alloc(100_000, "abc"));

  it("hashes a file and hands back the bytes read only when asked", async () => {
    const file = new File([bytes], "a.bin");
    expect(await digest(file, true)).toEqual({ md5: md5(bytes), bytes });
    expect(await digest(file)).toEqual({ md5: md5(bytes), bytes: null });
  });

  it("hashes bytes and slices of a file", async () => {
    expect((await digest(bytes)).md5).toBe(md5(bytes));
    expect((await digest(new Blob([bytes]).slice(10, 20))).md5).toBe(md5(bytes.slice(10, 20)));
    expect((await digest(new Blob([]))).md5).toBe("1B2M2Y8AsgTpgAmY7PhCfg==");
  });
});
