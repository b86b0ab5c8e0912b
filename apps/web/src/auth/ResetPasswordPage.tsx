import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useMutation } from "@tanstack/react-query";
import { Trans, useTranslation } from "react-i18next";
import { call } from "../api/client";
import { currentLocale } from "../i18n/i18n";
import { Button } from "../ui/Button";
import { TextField } from "../ui/Field";
import { FormAlert } from "../ui/FormAlert";
import { useForm } from "../ui/useForm";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { AuthCard } from "./AuthCard";
import { checkEmail } from "./validation";

/** Asks for the account's email address and sends a reset link to it. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("reset.requestTitle"));
  const form = useForm({ email: "" });
  const [sentTo, setSentTo] = useState<string | null>(null);
  const request = useMutation({
    mutationFn: (email: string) => call("requestPasswordReset", { body: { email, locale: currentLocale() } }),
    onSuccess: (_result, email) => setSentTo(email),
    onError: (error) => form.showFailure(error),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (request.isPending) return;
    const error = checkEmail(form.values.email);
    if (error) return form.showErrors({ email: error });
    form.clearErrors();
    request.mutate(form.values.email.trim());
  };

  return (
    <AuthCard
      title={t("reset.requestTitle")}
      intro={sentTo ? undefined : t("reset.requestIntro")}
      footer={
        <p>
          <Link to="/sign-in">{t("reset.backToSignIn")}</Link>
        </p>
      }
    >
      {sentTo ? (
        <ResetSent email={sentTo} />
      ) : (
        <form {...form.formProps} onSubmit={onSubmit} noValidate className="form">
          <FormAlert message={form.alert} />
          <TextField
            label={t("fields.email")}
            type="email"
            autoComplete="email"
            required
            {...form.field("email")}
          />
          <Button type="submit" block busy={request.isPending} busyLabel={t("reset.requestSubmitting")}>
            {t("reset.requestSubmit")}
          </Button>
        </form>
      )}
    </AuthCard>
  );
}

function ResetSent({ email }: { email: string }) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <div className="check-inbox">
      <svg className="check-inbox-art" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
        <rect x="6" y="14" width="52" height="38" rx="6" />
        <path d="m8 18 24 18 24-18" />
      </svg>
      <h2 ref={headingRef} tabIndex={-1}>
        {t("reset.sentTitle")}
      </h2>
      <p>
        <Trans i18nKey="reset.sentBody" values={{ email }} components={{ strong: <strong /> }} />
      </p>
      <p className="muted">{t("checkInbox.tip")}</p>
    </div>
  );
}
