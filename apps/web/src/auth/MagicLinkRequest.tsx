import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useMutation } from "@tanstack/react-query";
import { Trans, useTranslation } from "react-i18next";
import { call } from "../api/client";
import { currentLocale } from "../i18n/i18n";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { TextField } from "../ui/Field";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage } from "../ui/message";
import { useForm } from "../ui/useForm";
import { checkEmail } from "./validation";

interface MagicLinkRequestProps {
  /** Where the link should land after signing in. */
  next?: string | undefined;
  initialEmail?: string;
  /** Shown above the form, and gone once the link is sent. */
  intro?: ReactNode;
  /** Level of the "check your inbox" heading, to fit the page's outline. */
  headingLevel?: 2 | 3;
}

/** Asks for an email address, sends a sign-in link, then says to check the inbox. */
export function MagicLinkRequest({
  next,
  initialEmail = "",
  intro,
  headingLevel = 2,
}: MagicLinkRequestProps) {
  const { t } = useTranslation();
  const form = useForm({ email: initialEmail });
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [resent, setResent] = useState(false);
  const request = useMutation({
    mutationFn: (email: string) =>
      call("requestMagicLink", { body: { email, locale: currentLocale(), ...(next ? { next } : {}) } }),
  });

  const send = (email: string, isResend: boolean) => {
    request.mutate(email, {
      onSuccess: () => {
        setSentTo(email);
        setResent(isResend);
      },
      onError: (error) => (isResend ? undefined : form.showFailure(error)),
    });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (request.isPending) return;
    const error = checkEmail(form.values.email);
    if (error) return form.showErrors({ email: error });
    form.clearErrors();
    send(form.values.email.trim(), false);
  };

  if (sentTo) {
    return (
      <CheckInbox
        email={sentTo}
        headingLevel={headingLevel}
        resending={request.isPending}
        resent={resent}
        resendError={request.isError ? request.error : null}
        onResend={() => send(sentTo, true)}
        onChangeEmail={() => {
          request.reset();
          setSentTo(null);
        }}
      />
    );
  }

  return (
    <form {...form.formProps} onSubmit={onSubmit} noValidate className="form">
      {intro ? <p className="form-intro">{intro}</p> : null}
      <FormAlert message={form.alert} />
      <TextField
        label={t("fields.email")}
        type="email"
        autoComplete="email"
        required
        {...form.field("email")}
      />
      <Button type="submit" block busy={request.isPending} busyLabel={t("signIn.linkSubmitting")}>
        {t("signIn.linkSubmit")}
      </Button>
    </form>
  );
}

interface CheckInboxProps {
  email: string;
  headingLevel: 2 | 3;
  resending: boolean;
  resent: boolean;
  resendError: unknown;
  onResend: () => void;
  onChangeEmail: () => void;
}

function CheckInbox({
  email,
  headingLevel,
  resending,
  resent,
  resendError,
  onResend,
  onChangeEmail,
}: CheckInboxProps) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const Heading = headingLevel === 2 ? "h2" : "h3";
  // The form just disappeared under the person's focus: give it to the news instead.
  useEffect(() => headingRef.current?.focus(), []);
  const failure = resendError ? errorMessage(resendError) : null;

  return (
    <div className="check-inbox">
      <svg className="check-inbox-art" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
        <rect x="6" y="14" width="52" height="38" rx="6" />
        <path d="m8 18 24 18 24-18" />
      </svg>
      <Heading ref={headingRef} tabIndex={-1}>
        {t("checkInbox.title")}
      </Heading>
      <p>
        <Trans i18nKey="checkInbox.body" values={{ email }} components={{ strong: <strong /> }} />
      </p>
      <p className="muted">{t("checkInbox.expiry")}</p>
      <p className="muted">{t("checkInbox.tip")}</p>
      <div role="status" className="form-alert">
        {resent && !resending && !failure ? <Alert tone="success">{t("checkInbox.resent")}</Alert> : null}
      </div>
      <div role="alert" className="form-alert">
        {failure ? <Alert tone="error">{t(failure.key, failure.values)}</Alert> : null}
      </div>
      <div className="actions">
        <Button
          variant="secondary"
          busy={resending}
          busyLabel={t("signIn.linkSubmitting")}
          onClick={onResend}
        >
          {t("checkInbox.resend")}
        </Button>
        <Button variant="ghost" onClick={onChangeEmail}>
          {t("checkInbox.differentEmail")}
        </Button>
      </div>
    </div>
  );
}
