import { useId } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { LOCALES, type Locale } from "@convivio/protocol";
import { call } from "../api/client";
import { changeLocale, isLocale } from "../i18n/i18n";
import { meQueryKey, setSignedIn, useMe } from "../auth/session";

// Bilingual on purpose: someone who cannot read the current language can still find it.
const SWITCHER_LABEL = "Lingua / Language";

/** Switches the interface language; for a signed-in person it also becomes their email language. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const me = useMe();
  const queryClient = useQueryClient();
  const saveLocale = useMutation({
    mutationFn: (locale: Locale) => call("updateMe", { body: { locale } }),
    onSuccess: ({ user }) => setSignedIn(queryClient, user),
    // Not worth an error on screen: the interface has switched; the account page can retry.
    onError: () => void queryClient.invalidateQueries({ queryKey: meQueryKey }),
  });

  const onChange = async (value: string) => {
    if (!isLocale(value)) return;
    await changeLocale(value);
    if (me.data && me.data.locale !== value) saveLocale.mutate(value);
  };

  return (
    <div className="language-switcher">
      <label htmlFor={id} className="visually-hidden">
        {SWITCHER_LABEL}
      </label>
      <svg className="language-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <circle cx="12" cy="12" r="9.5" />
        <path d="M2.5 12h19M12 2.5c2.6 2.8 3.9 6 3.9 9.5s-1.3 6.7-3.9 9.5c-2.6-2.8-3.9-6-3.9-9.5S9.4 5.3 12 2.5Z" />
      </svg>
      <select
        id={id}
        className="language-select"
        value={i18n.resolvedLanguage}
        onChange={(event) => void onChange(event.target.value)}
      >
        {LOCALES.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {t(`common.languageNames.${locale}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
