import type { FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { LOCALES, type User } from "@convivio/protocol";
import { call, type BodyOf } from "../api/client";
import { setSignedIn } from "../auth/session";
import { checkName } from "../auth/validation";
import { changeLocale, isLocale } from "../i18n/i18n";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { SelectField, TextField } from "../ui/Field";
import { FormAlert } from "../ui/FormAlert";
import { useForm } from "../ui/useForm";

/** Name and language. The language applies to the interface here and to the emails we send. */
export function ProfileCard({
  user,
  saved,
  onSavedChange,
}: {
  user: User;
  /** Lifted to the page: a language change re-creates this card (see AccountPage). */
  saved: boolean;
  onSavedChange: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({ name: user.name, locale: user.locale });
  const save = useMutation({
    mutationFn: (body: BodyOf<"updateMe">) => call("updateMe", { body }),
    onSuccess: async ({ user: updated }) => {
      setSignedIn(queryClient, updated);
      await changeLocale(updated.locale);
      onSavedChange(true);
    },
    onError: (error) => form.showFailure(error),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    onSavedChange(false);
    const error = checkName(form.values.name);
    if (error) return form.showErrors({ name: error });
    form.clearErrors();
    const locale = isLocale(form.values.locale) ? form.values.locale : user.locale;
    save.mutate({ name: form.values.name.trim(), locale });
  };

  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">{t("account.profileTitle")}</h2>
      <form {...form.formProps} onSubmit={onSubmit} noValidate className="form">
        <FormAlert message={form.alert} />
        <TextField label={t("fields.name")} autoComplete="name" required {...form.field("name")} />
        <SelectField
          label={t("fields.language")}
          hint={t("account.languageHint")}
          options={LOCALES.map((locale) => ({
            value: locale,
            label: t(`common.languageNames.${locale}`),
            lang: locale,
          }))}
          {...form.field("locale")}
        />
        <div className="form-footer">
          <Button type="submit" busy={save.isPending} busyLabel={t("account.profileSubmitting")}>
            {t("account.profileSubmit")}
          </Button>
          <div role="status" className="inline-status">
            {saved ? <Alert tone="success">{t("account.profileSaved")}</Alert> : null}
          </div>
        </div>
      </form>
    </section>
  );
}
