// Three projects: unit (pure logic), integration (route handlers in-process against a real SQLite file and
// a real S3 server), e2e (the production build in Debian's Chromium). `npm test` runs all three through
// scripts/test.mjs, which starts the S3 server they need.
const swc = [
  "@swc/jest",
  {
    jsc: {
      parser: { syntax: "typescript", tsx: true },
      transform: { react: { runtime: "automatic" } },
      target: "es2022",
    },
    module: { type: "commonjs" },
  },
];

const common = {
  rootDir: ".",
  testEnvironment: "<rootDir>/tests/helpers/node-environment.js",
  transform: { "^.+\\.(t|j)sx?$": swc },
  // openid-client and the libraries under it ship only ES modules: compiled like our own code.
  transformIgnorePatterns: ["/node_modules/(?!(openid-client|oauth4webapi|jose)/)"],
  moduleNameMapper: {
    "^@/(.*)$": "<rootDir>/$1",
    "^server-only$": "<rootDir>/tests/helpers/server-only-stub.js",
  },
};

const config = {
  projects: [
    {
      ...common,
      displayName: "unit",
      testMatch: ["<rootDir>/tests/unit/**/*.test.ts"],
      setupFiles: ["<rootDir>/tests/helpers/setup-env.ts"],
    },
    {
      ...common,
      displayName: "integration",
      testMatch: ["<rootDir>/tests/integration/**/*.test.ts"],
      setupFiles: ["<rootDir>/tests/helpers/setup-env.ts"],
    },
    {
      ...common,
      displayName: "e2e",
      testMatch: ["<rootDir>/tests/e2e/**/*.test.ts"],
      setupFiles: ["<rootDir>/tests/helpers/setup-env.ts"],
    },
  ],
};

export default config;
