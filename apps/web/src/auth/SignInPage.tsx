import { useId, useRef, type FormEvent, type KeyboardEvent } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { call, type BodyOf } from "../api/client";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { PasswordField, TextField } from "../ui/Field";
import { FormAlert } from "../ui/FormAlert";
import { useForm } from "../ui/useForm";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { AuthCard } from "./AuthCard";
import { MagicLinkRequest } from "./MagicLinkRequest";
import { useNotice } from "./notices";
import { setSignedIn, useMe } from "./session";
import { checkEmail, checkPassword, collectErrors, safeNext } from "./validation";

const METHODS = ["password", "link"] as const;
type Method = (typeof METHODS)[number];

export function SignInPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("signIn.title"));
  const [params, setParams] = useSearchParams();
  const method: Method = params.get("method") === "link" ? "link" : "password";
  const next = safeNext(params.get("next"));
  const notice = useNotice();
  const me = useMe();
  const tabsId = useId();
  const tabRefs = useRef<Record<Method, HTMLButtonElement | null>>({ password: null, link: null });

  // Arriving from "sign out everywhere", the person is still cached for a moment: stay here.
  if (me.data && notice !== "signedOutEverywhere") return <Navigate to={next} replace />;

  const selectMethod = (chosen: Method, focus = false) => {
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (chosen === "link") updated.set("method", "link");
        else updated.delete("method");
        return updated;
      },
      { replace: true, preventScrollReset: true },
    );
    if (focus) tabRefs.current[chosen]?.focus();
  };

  // Arrow keys move between tabs, as in every tab list (WAI-ARIA Authoring Practices).
  const onTabKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    const index = METHODS.indexOf(method);
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      Home: -index,
      End: METHODS.length - 1 - index,
    };
    const step = moves[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const target = METHODS[(index + step + METHODS.length) % METHODS.length] ?? "password";
    selectMethod(target, true);
  };

  const signUpLink = params.has("next") ? `/sign-up?next=${encodeURIComponent(next)}` : "/sign-up";

  return (
    <AuthCard
      title={t("signIn.title")}
      footer={
        <p>
          {t("signIn.noAccount")} <Link to={signUpLink}>{t("signIn.signUpLink")}</Link>
        </p>
      }
    >
      <div role="status" className="form-alert">
        {notice === "needSignIn" ? <Alert tone="info">{t("signIn.needSignIn")}</Alert> : null}
        {notice === "signedOutEverywhere" ? (
          <Alert tone="success">{t("signIn.signedOutEverywhere")}</Alert>
        ) : null}
      </div>

      <div role="tablist" aria-label={t("signIn.methodLabel")} className="tabs">
        {METHODS.map((candidate) => (
          <button
            key={candidate}
            ref={(element) => {
              tabRefs.current[candidate] = element;
            }}
            type="button"
            role="tab"
            id={`${tabsId}-tab-${candidate}`}
            aria-selected={method === candidate}
            aria-controls={`${tabsId}-panel-${candidate}`}
            tabIndex={method === candidate ? 0 : -1}
            className="tab"
            onClick={() => selectMethod(candidate)}
            onKeyDown={onTabKeyDown}
          >
            {candidate === "password" ? t("signIn.methodPassword") : t("signIn.methodLink")}
          </button>
        ))}
      </div>

      <div
        role="tabpanel"
        id={`${tabsId}-panel-password`}
        aria-labelledby={`${tabsId}-tab-password`}
        hidden={method !== "password"}
        className="tab-panel"
      >
        {method === "password" ? <PasswordSignIn next={next} /> : null}
      </div>
      <div
        role="tabpanel"
        id={`${tabsId}-panel-link`}
        aria-labelledby={`${tabsId}-tab-link`}
        hidden={method !== "link"}
        className="tab-panel"
      >
        {method === "link" ? (
          <MagicLinkRequest next={params.has("next") ? next : undefined} intro={t("signIn.linkIntro")} />
        ) : null}
      </div>
    </AuthCard>
  );
}

function PasswordSignIn({ next }: { next: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useForm({ email: "", password: "" });
  const signIn = useMutation({
    mutationFn: (body: BodyOf<"signIn">) => call("signIn", { body }),
    onSuccess: ({ user }) => {
      setSignedIn(queryClient, user);
      void navigate(next, { replace: true });
    },
    onError: (error) => form.showFailure(error),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (signIn.isPending) return;
    const { email, password } = form.values;
    const errors = collectErrors({ email: checkEmail(email), password: checkPassword(password) });
    if (Object.keys(errors).length > 0) return form.showErrors(errors);
    form.clearErrors();
    signIn.mutate({ email: email.trim(), password });
  };

  return (
    <form {...form.formProps} onSubmit={onSubmit} noValidate className="form">
      <FormAlert message={form.alert} />
      <TextField
        label={t("fields.email")}
        type="email"
        autoComplete="email"
        required
        {...form.field("email")}
      />
      <PasswordField
        label={t("fields.password")}
        autoComplete="current-password"
        required
        {...form.field("password")}
      />
      <p className="form-aside">
        <Link to="/reset-password">{t("signIn.forgotPassword")}</Link>
      </p>
      <Button type="submit" block busy={signIn.isPending} busyLabel={t("signIn.submitting")}>
        {t("signIn.submit")}
      </Button>
    </form>
  );
}
