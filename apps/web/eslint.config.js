import { base } from "@convivio/config/eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

export default [
  ...base,
  reactHooks.configs.flat.recommended,
  {
    files: ["src/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
  },
];
