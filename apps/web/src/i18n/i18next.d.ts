import "i18next";
import type { en } from "./locales/index";

// Typed keys: `t("signIn.title")` compiles, a typo does not. English is the reference shape;
// the locale test keeps Italian identical to it.
declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof en };
  }
}
