import { useTranslation } from "react-i18next";
import type { BreakoutPublicState } from "@convivio/protocol";
import type { BreakoutLive, Toast } from "./BreakoutLive";
import { formatLeft } from "./Countdown";
import { timeLeftInWords } from "./timeLeft";
import { useNow } from "../boards/useNow";

/** Warnings, broadcasts and the close-all countdown, as toasts in a polite live region. */
export function Toasts({
  client,
  toasts,
  run,
}: {
  client: BreakoutLive;
  toasts: readonly Toast[];
  /** The run now: a warning before the last round's end says "back to the plenary", others "next table". */
  run: BreakoutPublicState | null;
}) {
  const { t } = useTranslation();
  const now = useNow(toasts.some((toast) => toast.notice.kind === "closing"));
  const text = (toast: Toast) => {
    const n = toast.notice;
    switch (n.kind) {
      case "broadcast":
        return { title: t("breakouts.toast.broadcast", { name: n.from }), body: n.message };
      case "warning": {
        const left = timeLeftInWords(n.leftMs);
        const moreRounds = run !== null && run.round < run.rounds;
        return {
          title:
            left.unit === "minutes"
              ? t("breakouts.toast.warningMinutes", { count: left.count })
              : t("breakouts.toast.warningSeconds", { count: left.count }),
          body: moreRounds ? t("breakouts.toast.warningBodyNext") : t("breakouts.toast.warningBody"),
        };
      }
      case "closing":
        return {
          title: t("breakouts.toast.closingTitle"),
          body: t("breakouts.toast.closingBody", { left: formatLeft(Date.parse(n.closingAt) - now) }),
        };
      case "extended":
        return { title: t("breakouts.toast.extendedTitle"), body: t("breakouts.toast.extendedBody") };
      case "rolledUp":
        return {
          title: t("breakouts.toast.rolledUpTitle"),
          body: t("breakouts.toast.rolledUpBody", { count: n.ideas }),
        };
    }
  };
  return (
    <div className="breakout-toasts" role="status" aria-live="polite">
      {toasts.map((toast) => {
        const { title, body } = text(toast);
        return (
          <div key={toast.id} className={`breakout-toast breakout-toast-${toast.notice.kind}`}>
            <div>
              <p className="breakout-toast-title">{title}</p>
              <p className="breakout-toast-body">{body}</p>
            </div>
            <button
              type="button"
              className="breakout-toast-close"
              aria-label={t("breakouts.toast.dismiss")}
              onClick={() => client.dismiss(toast.id)}
            >
              ×
            </button>
          </div>
        );
      })}
    </div>
  );
}
