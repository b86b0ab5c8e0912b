// Shared Vitest defaults: node environment, generous timeouts for integration tests on a
// 2-core machine, no watch mode in CI.
import { defineConfig } from "vitest/config";

export const testDefaults = {
  environment: "node",
  testTimeout: 30_000,
  hookTimeout: 60_000,
  include: ["src/**/*.test.ts", "test/**/*.test.ts"],
  passWithNoTests: false,
  // expect.poll() gives up after 1 s by default; under a loaded CI machine a live update can take
  // longer than that, so polls wait up to 20 s (they still finish as soon as they match).
  expect: { poll: { timeout: 20_000, interval: 100 } },
};

export default defineConfig({ test: testDefaults });
