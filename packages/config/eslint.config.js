// Shared lint rules. `pureCore` keeps packages/protocol and packages/board free of I/O:
// no Node built-ins, servers, databases or UI, and no clocks or randomness (they are parameters).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

const ignores = { ignores: ["**/dist/**", "**/node_modules/**", "**/.turbo/**", "**/coverage/**"] };

export const base = tseslint.config(
  ignores,
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // Command-line entry points talk to a person on the terminal; tests may print what they measured.
    files: [
      "**/*.test.ts",
      "**/*.test.tsx",
      "**/test/**",
      "**/bin/**",
      "**/*.config.*",
      "**/src/main.ts",
      "**/src/migrate.ts",
    ],
    rules: { "no-console": "off" },
  },
  {
    files: ["**/*.test.ts", "**/*.test.tsx"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);

const ioModules = [
  "express",
  "socket.io",
  "socket.io-client",
  "bullmq",
  "ioredis",
  "livekit-server-sdk",
  "pg",
  "@electric-sql/pglite",
  "drizzle-orm",
  "react",
  "react-dom",
  "nodemailer",
];

export const pureCore = [
  ...base,
  {
    files: ["src/**/*.ts"],
    languageOptions: { globals: { ...globals["shared-node-browser"] } },
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ioModules.map((name) => ({ name, message: "protocol and board do no I/O (STYLE.md)." })),
          patterns: [
            {
              group: ["node:*", "fs", "path", "crypto", "http", "net"],
              message: "protocol and board do no I/O (STYLE.md).",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "process", message: "Read configuration in the app's env.ts and pass it in." },
        { name: "setTimeout", message: "Timers belong to the server; pass time in." },
        { name: "setInterval", message: "Timers belong to the server; pass time in." },
        { name: "fetch", message: "No I/O in the pure core." },
      ],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "Pass the clock in." },
        { object: "Math", property: "random", message: "Pass randomness in." },
        { object: "crypto", property: "randomUUID", message: "Pass ids in." },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Pass the clock in." },
      ],
    },
  },
];

export default base;
