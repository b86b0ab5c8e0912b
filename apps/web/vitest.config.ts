import { defineConfig } from "vitest/config";
import { testDefaults } from "@convivio/config/vitest";

export default defineConfig({
  test: { ...testDefaults, include: ["src/**/*.test.ts", "src/**/*.test.tsx"] },
});
