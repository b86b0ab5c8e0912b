import { useEffect, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { call } from "../api/client";
import { setSignedOut } from "../auth/session";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage } from "../ui/message";

/** Revokes every session of the person, after an inline confirmation. */
export function SignOutEverywhereCard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLParagraphElement>(null);
  const revoke = useMutation({
    mutationFn: () => call("signOutEverywhere"),
    onSuccess: async () => {
      // Leave the protected page first, so it does not bounce to sign-in with a "return here" link.
      await navigate("/sign-in", {
        replace: true,
        flushSync: true,
        state: { notice: "signedOutEverywhere" },
      });
      setSignedOut(queryClient);
    },
  });

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  return (
    <section className="card card-danger" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t("account.sessionsTitle")}</h2>
      <p className="muted">{t("account.sessionsIntro")}</p>
      <FormAlert message={revoke.isError ? errorMessage(revoke.error) : null} />
      {confirming ? (
        <div className="confirm">
          <p ref={confirmRef} tabIndex={-1} className="confirm-question">
            {t("account.signOutEverywhereConfirm")}
          </p>
          <div className="actions">
            <Button
              variant="danger"
              busy={revoke.isPending}
              busyLabel={t("account.signingOutEverywhere")}
              onClick={() => revoke.mutate()}
            >
              {t("account.signOutEverywhereYes")}
            </Button>
            <Button variant="ghost" onClick={() => setConfirming(false)}>
              {t("common.cancel")}
            </Button>
          </div>
        </div>
      ) : (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          {t("account.signOutEverywhere")}
        </Button>
      )}
    </section>
  );
}
