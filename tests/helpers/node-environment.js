// Jest runs each test file in its own VM realm, where errors thrown by Node itself (ECONNREFUSED, …) are
// not `instanceof Error`. The AWS SDK then flattens them into a message string and their `code` is lost,
// which never happens in the real server (one realm). Giving the test realm Node's own Error constructor
// makes errors behave as they do in production.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads environments as CommonJS
const { TestEnvironment } = require("jest-environment-node");

class SingleRealmErrors extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.Error = Error;
  }
}

module.exports = SingleRealmErrors;
