import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Each test file gets its own data directory (a real SQLite file) and its own module registry, so state
// never leaks between files. A file may override any of these before it imports server code.
process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "obm-test-"));
process.env.LOG_LEVEL ??= "silent";
process.env.ALLOW_PRIVATE_ENDPOINTS ??= "true";
delete process.env.APP_MASTER_KEY;
delete process.env.APP_ORIGIN;
// The in-process test client talks to the app as http://app.test: that is this server's own name here.
process.env.HOST = "app.test";
