import { defineConfig } from "vitest/config";
import { testDefaults } from "@convivio/config/vitest";

// Browser and multi-process tests: one file at a time, so they do not fight over 2 cores.
export default defineConfig({
  test: {
    ...testDefaults,
    include: ["e2e/**/*.test.ts", "cluster/**/*.test.ts", "load/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
