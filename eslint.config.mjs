import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  { ignores: [".next/**", "node_modules/**", "data/**", "coverage/**", "test-results/**", "next-env.d.ts"] },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // The AWS SDK is imported in one folder only (lib/server/s3/), see CONTRIBUTING.md.
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@aws-sdk/*"], message: "Import the AWS SDK only under lib/server/s3/." }] },
      ],
    },
  },
  // Tests seed and read back the real store directly; scripts benchmark against the SDK.
  { files: ["lib/server/s3/**", "tests/**", "scripts/**"], rules: { "no-restricted-imports": "off" } },
];

export default config;
