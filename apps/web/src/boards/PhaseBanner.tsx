import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { BOARD_PHASES } from "@convivio/protocol";
import { useBoard } from "./context";
import { formatCountdown, timerState } from "./model";
import { useNow } from "./useNow";

/** The board's phase, what to do in it, the countdown and (while voting) the votes left. Sticky. */
export function PhaseBanner() {
  const { t } = useTranslation();
  const { view, role } = useBoard();
  const { meta } = view;
  const phaseIndex = BOARD_PHASES.indexOf(meta.phase);
  const facilitator = role === "facilitator";

  let hint: string;
  switch (meta.phase) {
    case "collect":
      hint =
        meta.settings.whoMayPropose === "facilitators" && !facilitator
          ? t("board.phaseHint.collectFacilitatorsOnly")
          : t("board.phaseHint.collect");
      break;
    case "group":
      hint = facilitator ? t("board.phaseHint.groupFacilitator") : t("board.phaseHint.group");
      break;
    case "vote":
      hint = meta.votesVisible
        ? t("board.phaseHint.vote", { max: meta.settings.maxVotesPerIdea })
        : t("board.phaseHint.voteSecret", { max: meta.settings.maxVotesPerIdea });
      break;
    case "reveal":
      hint = t("board.phaseHint.reveal");
      break;
    case "closed":
      hint = t("board.phaseHint.closed");
      break;
  }

  return (
    <>
      <section className="phase-banner" aria-label={t("board.phaseBanner.label")}>
        <div className="phase-banner-inner board-wide">
          <div className="phase-line">
            <ol className="phase-steps" aria-label={t("board.phaseBanner.steps")}>
              {BOARD_PHASES.map((phase, index) => (
                <li
                  key={phase}
                  className={index < phaseIndex ? "is-done" : index === phaseIndex ? "is-current" : undefined}
                  aria-current={index === phaseIndex ? "step" : undefined}
                  title={t(`board.phase.${phase}`)}
                >
                  <span className="phase-step-number" aria-hidden="true">
                    {index + 1}
                  </span>
                  <span className="phase-step-name">{t(`board.phase.${phase}`)}</span>
                </li>
              ))}
            </ol>
            <p className="phase-title">
              {t("board.phaseBanner.stepOf", { step: phaseIndex + 1, total: BOARD_PHASES.length })}{" "}
              <strong>{t(`board.phase.${meta.phase}`)}</strong>
            </p>
            {meta.locked ? <span className="pill pill-locked">{t("board.phaseBanner.locked")}</span> : null}
          </div>
          <div className="phase-side">
            <Countdown />
            {meta.phase === "vote" ? <VoteBudget /> : null}
          </div>
        </div>
      </section>
      <p className="phase-hint board-wide">{meta.locked ? t("board.phaseHint.locked") : hint}</p>
    </>
  );
}

function Countdown() {
  const { t } = useTranslation();
  const { view, clockOffsetMs } = useBoard();
  const running = view.meta.deadlineAt !== null;
  const now = useNow(running, 500);
  // The deadline is on the server's clock; the measured offset brings ours in line with it.
  const timer = timerState(view.meta, now + clockOffsetMs);
  const announcement = useTimerAnnouncement(timer.kind === "running" ? timer.leftMs : null);

  if (timer.kind === "none") return null;
  const urgent = timer.kind === "running" && timer.leftMs <= 30_000;
  return (
    <div
      className={`countdown ${timer.kind === "paused" ? "is-paused" : ""} ${urgent ? "is-urgent" : ""}`}
      role="timer"
      aria-label={t("board.timer.label")}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <circle cx="12" cy="13" r="8" />
        <path d="M12 9v4l2.5 2.5M9.5 2.5h5" />
      </svg>
      <span className="countdown-time">{formatCountdown(timer.leftMs)}</span>
      <span className="countdown-label">
        {timer.kind === "paused"
          ? t("board.timer.paused")
          : timer.leftMs === 0
            ? t("board.timer.timeUp")
            : t("board.timer.left")}
      </span>
      <span className="visually-hidden" aria-live="polite">
        {announcement}
      </span>
    </div>
  );
}

/** Says the time left at a few moments only (a screen reader must not read every second). */
function useTimerAnnouncement(leftMs: number | null): string {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const announced = useRef<number | null>(null);
  useEffect(() => {
    if (leftMs === null) {
      announced.current = null;
      return;
    }
    const crossed = [60_000, 10_000, 0].filter((mark) => leftMs <= mark);
    const lowest = crossed.length > 0 ? Math.min(...crossed) : Infinity;
    // The first reading, or a timer that was extended: remember where we are, say nothing.
    if (announced.current === null || lowest > announced.current) {
      announced.current = lowest;
      return;
    }
    if (lowest === announced.current) return;
    announced.current = lowest;
    const message =
      lowest === 0 ? t("board.timer.timeUp") : t("board.timer.announce", { time: formatCountdown(lowest) });
    const handle = setTimeout(() => setText(message), 0);
    return () => clearTimeout(handle);
  }, [leftMs, t]);
  return text;
}

/** Dots for the vote budget: filled ones are votes placed. */
export function VoteBudget() {
  const { t } = useTranslation();
  const { view } = useBoard();
  const total = view.meta.settings.voteBudget;
  const left = view.self?.remaining ?? total;
  return (
    <div className="vote-budget" aria-live="polite">
      <span className="vote-budget-dots" aria-hidden="true">
        {total <= 12 ? (
          Array.from({ length: total }, (_, i) => (
            <span key={i} className={i < left ? "dot" : "dot is-used"} />
          ))
        ) : (
          <span className="dot is-used" />
        )}
      </span>
      <span className="vote-budget-text">{t("board.votes.budget", { count: left, total })}</span>
    </div>
  );
}
