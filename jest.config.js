/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  // samples/testing holds tests written as a user would (importing "codex-rx"): they run too.
  roots: ["<rootDir>/spec", "<rootDir>/samples"],
  testMatch: ["**/*.spec.ts"],
  moduleNameMapper: {
    "^codex-rx$": "<rootDir>/src/index.ts",
    "^codex-rx/advanced$": "<rootDir>/src/advanced.ts",
    "^codex-rx/testing$": "<rootDir>/src/testing/index.ts",
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.json" }],
  },
  // Integration tests spawn the real app-server; give them room, keep unit tests fast.
  testTimeout: 30000,
  reporters: ["default", "<rootDir>/spec/support/summaryReporter.cjs"],
};
