import type { FormEvent } from "react";
import { Link, Navigate, useSearchParams } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { PASSWORD_MIN_LENGTH } from "@convivio/protocol";
import { call, type BodyOf } from "../api/client";
import { currentLocale } from "../i18n/i18n";
import { Button } from "../ui/Button";
import { PasswordField, TextField } from "../ui/Field";
import { FormAlert } from "../ui/FormAlert";
import { useForm } from "../ui/useForm";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { AuthCard } from "./AuthCard";
import { setSignedIn, useMe } from "./session";
import { checkEmail, checkName, checkNewPassword, collectErrors, safeNext } from "./validation";

export function SignUpPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("signUp.title"));
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const me = useMe();
  const queryClient = useQueryClient();
  const form = useForm({ name: "", email: "", password: "" });
  const signUp = useMutation({
    mutationFn: (body: BodyOf<"signUp">) => call("signUp", { body }),
    // Being signed in re-renders this page into a redirect to `next`.
    onSuccess: ({ user }) => setSignedIn(queryClient, user),
    onError: (error) => form.showFailure(error, { email_taken: "email", weak_password: "password" }),
  });

  if (me.data) return <Navigate to={next} replace />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (signUp.isPending) return;
    const { name, email, password } = form.values;
    const errors = collectErrors({
      name: checkName(name),
      email: checkEmail(email),
      password: checkNewPassword(password),
    });
    if (Object.keys(errors).length > 0) return form.showErrors(errors);
    form.clearErrors();
    signUp.mutate({ name: name.trim(), email: email.trim(), password, locale: currentLocale() });
  };

  const signInLink = params.has("next") ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in";

  return (
    <AuthCard
      title={t("signUp.title")}
      intro={t("signUp.intro")}
      footer={
        <>
          <p>
            {t("signUp.haveAccount")} <Link to={signInLink}>{t("signUp.signInLink")}</Link>
          </p>
          <p className="muted">{t("signUp.attendeeNote")}</p>
        </>
      }
    >
      <form {...form.formProps} onSubmit={onSubmit} noValidate className="form">
        <FormAlert message={form.alert} />
        <TextField label={t("fields.name")} autoComplete="name" required {...form.field("name")} />
        <TextField
          label={t("fields.email")}
          type="email"
          autoComplete="email"
          required
          hint={t("signUp.emailHint")}
          {...form.field("email")}
        />
        <PasswordField
          label={t("fields.password")}
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          hint={t("passwordHint", { min: PASSWORD_MIN_LENGTH })}
          {...form.field("password")}
        />
        <Button type="submit" block busy={signUp.isPending} busyLabel={t("signUp.submitting")}>
          {t("signUp.submit")}
        </Button>
      </form>
    </AuthCard>
  );
}
