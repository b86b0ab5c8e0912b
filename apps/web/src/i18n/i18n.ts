// i18next set-up: Italian and English bundled, the language chosen from the browser unless the
// person picked one (remembered in localStorage), and <html lang> kept in step.
import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { LOCALES, type Locale } from "@convivio/protocol";
import { en, it } from "./locales/index";

export const resources = { it: { translation: it }, en: { translation: en } } as const;

const STORAGE_KEY = "convivio.locale";

// Someone whose browser asks for neither Italian nor English is more likely to read English.
const FALLBACK_LOCALE: Locale = "en";

/** Intl locale used to format dates and numbers for each interface language. */
export const INTL_LOCALE: Record<Locale, string> = { it: "it-IT", en: "en-GB" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The first of the browser's preferred languages that we speak (`it-CH` counts as `it`). */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split("-")[0];
    if (isLocale(primary)) return primary;
  }
  return FALLBACK_LOCALE;
}

function readStoredLocale(): Locale | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : null;
  } catch {
    // Storage can be disabled (privacy settings); the browser language still applies.
    return null;
  }
}

function storeLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered across visits, but the switch still applies to this page.
  }
}

function browserLocales(): readonly string[] {
  return navigator.languages.length > 0 ? navigator.languages : [navigator.language];
}

/** The interface language now in use. */
export function currentLocale(): Locale {
  const language = i18next.resolvedLanguage ?? i18next.language;
  return isLocale(language) ? language : FALLBACK_LOCALE;
}

/** Switches the interface language and remembers the choice on this device. */
export async function changeLocale(locale: Locale): Promise<void> {
  storeLocale(locale);
  await i18next.changeLanguage(locale);
}

/**
 * Follows a signed-in person's saved language, unless someone chose one on this device:
 * a choice made here wins over the account, and the account over the browser.
 */
export function adoptAccountLocale(locale: Locale): void {
  if (readStoredLocale() !== null || currentLocale() === locale) return;
  void i18next.changeLanguage(locale);
}

function reflectOnDocument(language: string): void {
  document.documentElement.lang = language;
  document.title = i18next.t("common.appName");
}

export async function initI18n(): Promise<typeof i18next> {
  i18next.on("languageChanged", reflectOnDocument);
  await i18next.use(initReactI18next).init({
    resources,
    lng: readStoredLocale() ?? pickLocale(browserLocales()),
    fallbackLng: FALLBACK_LOCALE,
    supportedLngs: LOCALES,
    // React escapes text already.
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
    returnNull: false,
  });
  return i18next;
}
