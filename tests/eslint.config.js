export { default } from "@convivio/config/eslint";
