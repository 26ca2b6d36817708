/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  roots: ["<rootDir>/spec"],
  testMatch: ["**/*.spec.ts"],
  moduleNameMapper: {
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.json" }],
  },
  // Integration tests spawn the real app-server; give them room, keep unit tests fast.
  testTimeout: 30000,
  reporters: ["default", "<rootDir>/spec/support/summaryReporter.cjs"],
};
