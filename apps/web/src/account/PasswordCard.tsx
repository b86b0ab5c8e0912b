import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { PASSWORD_MIN_LENGTH } from "@convivio/protocol";
import { call, type BodyOf } from "../api/client";
import { meQueryKey } from "../auth/session";
import { checkNewPassword, checkPassword, collectErrors } from "../auth/validation";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { PasswordField } from "../ui/Field";
import { FormAlert } from "../ui/FormAlert";
import { useForm } from "../ui/useForm";

/** Sets a first password (after magic-link sign-ins) or changes the current one. */
export function PasswordCard({ hasPassword, email }: { hasPassword: boolean; email: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({ currentPassword: "", password: "" });
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (body: BodyOf<"setPassword">) => call("setPassword", { body }),
    onSuccess: async () => {
      form.setValues({ currentPassword: "", password: "" });
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: meQueryKey });
    },
    onError: (error) =>
      form.showFailure(
        error,
        { invalid_credentials: "currentPassword", weak_password: "password" },
        { invalid_credentials: { key: "errors.currentPasswordWrong" } },
      ),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    setSaved(false);
    const { currentPassword, password } = form.values;
    const errors = collectErrors({
      currentPassword: hasPassword ? checkPassword(currentPassword) : undefined,
      password: checkNewPassword(password),
    });
    if (Object.keys(errors).length > 0) return form.showErrors(errors);
    form.clearErrors();
    save.mutate(hasPassword ? { password, currentPassword } : { password });
  };

  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">
        {hasPassword ? t("account.changePasswordTitle") : t("account.setPasswordTitle")}
      </h2>
      <p className="muted">
        {hasPassword ? t("account.changePasswordIntro") : t("account.setPasswordIntro")}
      </p>
      <form {...form.formProps} onSubmit={onSubmit} noValidate className="form">
        <FormAlert message={form.alert} />
        {/* Lets password managers store the new password against the right account. */}
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        {hasPassword ? (
          <PasswordField
            label={t("fields.currentPassword")}
            autoComplete="current-password"
            required
            {...form.field("currentPassword")}
          />
        ) : null}
        <PasswordField
          label={t("fields.newPassword")}
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          hint={t("passwordHint", { min: PASSWORD_MIN_LENGTH })}
          {...form.field("password")}
        />
        <div className="form-footer">
          <Button type="submit" busy={save.isPending} busyLabel={t("account.passwordSubmitting")}>
            {hasPassword ? t("account.changePasswordSubmit") : t("account.setPasswordSubmit")}
          </Button>
          <div role="status" className="inline-status">
            {saved ? <Alert tone="success">{t("account.passwordSaved")}</Alert> : null}
          </div>
        </div>
      </form>
    </section>
  );
}
