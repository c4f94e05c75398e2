import { createTestDatabase } from "./pg";
import { tempDir } from "./temp-dir";

// Each test file gets its own data directory (a real SQLite file) and its own module registry, so state
// never leaks between files. A file may override any of these before it imports server code.
process.env.DATA_DIR = tempDir("obm-test-");
process.env.LOG_LEVEL ??= "silent";
// The SDK's notice that its releases from 2027 need Node 22 (ours are pinned: CONTRIBUTING.md), once per
// test file, would drown the test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.ALLOW_PRIVATE_ENDPOINTS ??= "true";
delete process.env.APP_MASTER_KEY;
delete process.env.APP_ORIGIN;
// The in-process test client talks to the app as http://app.test: that is this server's own name here.
process.env.HOST = "app.test";

// The integration suite's second run (scripts/test.mjs, phase integration-pg) points at a PostgreSQL cluster:
// each test file gets a database of its own there, as it gets a SQLite file of its own otherwise.
if (process.env.PG_TEST_ADMIN_URL) {
  process.env.DATABASE_URL = createTestDatabase(process.env.PG_TEST_ADMIN_URL);
} else {
  delete process.env.DATABASE_URL;
}
