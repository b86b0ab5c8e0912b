// Shared Vitest defaults: node environment, generous timeouts for integration tests on a
// 2-core machine, no watch mode in CI.
import { defineConfig } from "vitest/config";

export const testDefaults = {
  environment: "node",
  testTimeout: 30_000,
  hookTimeout: 60_000,
  include: ["src/**/*.test.ts", "test/**/*.test.ts"],
  passWithNoTests: false,
};

export default defineConfig({ test: testDefaults });
