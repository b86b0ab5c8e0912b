import { useTranslation } from "react-i18next";
import { useNow } from "../boards/useNow";
import { useLiveState } from "../live/live";

/** Minutes and seconds, "4:05". */
export function formatLeft(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, "0")}`;
}

/** Time left until `until` (ISO) by the server's clock, updated every second. */
export function Countdown({ until, label }: { until: string; label: string }) {
  const { t } = useTranslation();
  const { clockOffsetMs } = useLiveState();
  const now = useNow(true) + clockOffsetMs;
  const left = Date.parse(until) - now;
  const urgent = left <= 60_000;
  return (
    <span
      className={`breakout-countdown${urgent ? " is-urgent" : ""}`}
      role="timer"
      aria-label={`${label}: ${formatLeft(left)}`}
    >
      <span className="breakout-countdown-label">{label}</span>
      <span className="breakout-countdown-time">
        {left > 0 ? formatLeft(left) : t("breakouts.timer.over")}
      </span>
    </span>
  );
}
