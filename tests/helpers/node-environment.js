// Jest runs each test file in its own VM realm, where errors thrown by Node itself (ECONNREFUSED, …) are
// not `instanceof Error`. The AWS SDK then flattens them into a message string and their `code` is lost,
// which never happens in the real server (one realm). Giving the test realm Node's own Error constructor
// makes errors behave as they do in production.
//
// Each test file gets a data directory of its own (setup-env.ts); the environment removes it, and every
// directory made with tests/helpers/temp-dir.ts, when the file is done.
/* eslint-disable @typescript-eslint/no-require-imports -- jest loads environments as CommonJS */
const { TestEnvironment } = require("jest-environment-node");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
/* eslint-enable @typescript-eslint/no-require-imports */

class SingleRealmErrors extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.Error = Error;
  }

  async teardown() {
    // Directories made with tests/helpers/temp-dir.ts (the data directory among them), and only those.
    for (const dir of this.global.__obmTempDirs ?? []) {
      if (path.dirname(dir) === os.tmpdir()) fs.rmSync(dir, { recursive: true, force: true });
    }
    await super.teardown();
  }
}

module.exports = SingleRealmErrors;
