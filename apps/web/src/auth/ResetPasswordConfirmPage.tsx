import type { FormEvent } from "react";
import { Link, Navigate, useSearchParams } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { OneTimeToken, PASSWORD_MIN_LENGTH } from "@convivio/protocol";
import { call, isApiError, type ClientErrorCode } from "../api/client";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { PasswordField } from "../ui/Field";
import { FormAlert } from "../ui/FormAlert";
import { useForm } from "../ui/useForm";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { AuthCard } from "./AuthCard";
import { setSignedIn } from "./session";
import { checkNewPassword } from "./validation";

type TokenProblem = Extract<ClientErrorCode, "token_expired" | "token_used" | "token_invalid">;

const TOKEN_TITLES = {
  token_expired: "reset.expiredTitle",
  token_used: "reset.usedTitle",
  token_invalid: "reset.invalidTitle",
} as const satisfies Record<TokenProblem, string>;

/** Where a reset link lands: choose a new password, which also signs in. */
export function ResetPasswordConfirmPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const queryClient = useQueryClient();
  const form = useForm({ password: "" });
  const confirm = useMutation({
    mutationFn: (password: string) => call("confirmPasswordReset", { body: { token, password } }),
    onSuccess: ({ user }) => setSignedIn(queryClient, user),
    onError: (error) => {
      if (!isApiError(error, "token_expired", "token_used", "token_invalid")) {
        form.showFailure(error, { weak_password: "password" });
      }
    },
  });

  const problem: TokenProblem | null = !OneTimeToken.safeParse(token).success
    ? "token_invalid"
    : isApiError(confirm.error, "token_expired", "token_used", "token_invalid")
      ? (confirm.error.code as TokenProblem)
      : null;
  useDocumentTitle(problem ? t(TOKEN_TITLES[problem]) : t("reset.confirmTitle"));

  if (confirm.isSuccess) return <Navigate to="/dashboard" replace state={{ notice: "passwordReset" }} />;

  if (problem) {
    return (
      <AuthCard title={t(TOKEN_TITLES[problem])}>
        <div role="alert">
          <Alert tone="error">
            <p>{t("reset.tokenBody")}</p>
          </Alert>
        </div>
        <p>
          <Link to="/reset-password" className="btn btn-primary">
            {t("reset.requestNew")}
          </Link>
        </p>
      </AuthCard>
    );
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (confirm.isPending) return;
    const error = checkNewPassword(form.values.password);
    if (error) return form.showErrors({ password: error });
    form.clearErrors();
    confirm.mutate(form.values.password);
  };

  return (
    <AuthCard title={t("reset.confirmTitle")} intro={t("reset.confirmIntro")}>
      <form {...form.formProps} onSubmit={onSubmit} noValidate className="form">
        <FormAlert message={form.alert} />
        <PasswordField
          label={t("fields.newPassword")}
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          hint={t("passwordHint", { min: PASSWORD_MIN_LENGTH })}
          {...form.field("password")}
        />
        <Button type="submit" block busy={confirm.isPending} busyLabel={t("reset.confirmSubmitting")}>
          {t("reset.confirmSubmit")}
        </Button>
      </form>
    </AuthCard>
  );
}
