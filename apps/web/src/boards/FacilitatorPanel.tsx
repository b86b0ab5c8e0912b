import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { BOARD_LIMITS, type BoardPhase } from "@convivio/protocol";
import { Button } from "../ui/Button";
import { useBoard } from "./context";
import { Dialog } from "./Dialog";
import { Menu } from "./Menu";
import { nextPhaseOf, phasesAfter, timerState } from "./model";

const TIMER_PRESETS_MIN = [2, 5, 10] as const;
const MINUTE_MS = 60_000;

/** Phase, timer, lock and settings: what a facilitator drives the board with. */
export function FacilitatorPanel() {
  const { t } = useTranslation();
  const { view, abilities, send, open } = useBoard();
  const [confirming, setConfirming] = useState<BoardPhase | null>(null);
  const headingId = useId();
  const { phase, locked } = view.meta;
  const next = nextPhaseOf(phase);
  const later = phasesAfter(phase).filter((p) => p !== next);
  const hiddenCount = Object.values(view.ideas).filter((idea) => idea.hidden !== null).length;

  const goTo = (target: BoardPhase) => {
    if (target === "closed") setConfirming(target);
    else void send({ type: "setPhase", phase: target });
  };

  return (
    <details className="facilitator-panel" open>
      <summary>
        <span id={headingId} className="facilitator-title">
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0" />
            <circle cx="16" cy="6" r="2" />
            <circle cx="10" cy="12" r="2" />
            <circle cx="18" cy="18" r="2" />
          </svg>
          {t("board.facilitator.title")}
        </span>
      </summary>
      <div className="facilitator-tools" role="group" aria-labelledby={headingId}>
        <div className="tool-group">
          <span className="tool-label">{t("board.facilitator.phase")}</span>
          {next ? (
            <Button
              className="btn-small"
              aria-disabled={!abilities.phase}
              onClick={() => abilities.phase && goTo(next)}
            >
              {t(`board.facilitator.goTo.${next}`)}
            </Button>
          ) : (
            <span className="muted">{t("board.facilitator.finished")}</span>
          )}
          {abilities.phase && later.length > 0 ? (
            <Menu
              className="skip-menu"
              label={t("board.facilitator.skipTo")}
              items={later.map((target) => ({
                key: target,
                label: t(`board.facilitator.goTo.${target}`),
                onSelect: () => goTo(target),
              }))}
            />
          ) : null}
        </div>

        {phase !== "closed" ? <TimerTools /> : null}

        <div className="tool-group">
          <span className="tool-label">{t("board.facilitator.board")}</span>
          <Button
            variant="secondary"
            className="btn-small"
            onClick={() => void send({ type: locked ? "unlockBoard" : "lockBoard" })}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="btn-icon">
              <rect x="5" y="11" width="14" height="9" rx="2" />
              <path d={locked ? "M8 11V8a4 4 0 0 1 7.5-2" : "M8 11V8a4 4 0 0 1 8 0v3"} />
            </svg>
            {locked ? t("board.facilitator.unlock") : t("board.facilitator.lock")}
          </Button>
          {abilities.settings ? (
            <Button variant="secondary" className="btn-small" onClick={() => open({ kind: "settings" })}>
              {t("board.facilitator.settings")}
            </Button>
          ) : null}
          {hiddenCount > 0 ? (
            <span className="pill">{t("board.facilitator.hiddenCount", { count: hiddenCount })}</span>
          ) : null}
        </div>
      </div>

      {confirming ? (
        <Dialog
          title={t("board.facilitator.closeTitle")}
          description={t("board.facilitator.closeBody")}
          onClose={() => setConfirming(null)}
          footer={
            <>
              <Button variant="ghost" onClick={() => setConfirming(null)}>
                {t("common.cancel")}
              </Button>
              <Button
                variant="danger"
                onClick={() => {
                  setConfirming(null);
                  void send({ type: "setPhase", phase: confirming });
                }}
              >
                {t("board.facilitator.goTo.closed")}
              </Button>
            </>
          }
        />
      ) : null}
    </details>
  );
}

function TimerTools() {
  const { t } = useTranslation();
  const { view, abilities, send } = useBoard();
  const [minutes, setMinutes] = useState("3");
  const inputId = useId();
  // Running or paused is all that matters here; the time left is in the banner.
  const timer = timerState(view.meta, 0);
  const disabled = !abilities.timer;
  const start = (durationMs: number) => !disabled && void send({ type: "setTimer", durationMs });
  const customMs = Math.round(Number(minutes.replace(",", ".")) * MINUTE_MS);
  const customValid = customMs >= BOARD_LIMITS.timerMinMs && customMs <= BOARD_LIMITS.timerMaxMs;

  return (
    <div className="tool-group">
      <span className="tool-label">{t("board.facilitator.timer")}</span>
      {timer.kind === "none" ? (
        <>
          {TIMER_PRESETS_MIN.map((min) => (
            <Button
              key={min}
              variant="secondary"
              className="btn-small"
              aria-disabled={disabled}
              onClick={() => start(min * MINUTE_MS)}
            >
              {t("board.facilitator.minutes", { count: min })}
            </Button>
          ))}
          <form
            className="timer-custom"
            onSubmit={(event) => {
              event.preventDefault();
              if (customValid) start(customMs);
            }}
          >
            <label htmlFor={inputId} className="visually-hidden">
              {t("board.facilitator.customMinutes")}
            </label>
            <input
              id={inputId}
              className="input input-small"
              inputMode="decimal"
              value={minutes}
              onChange={(event) => setMinutes(event.target.value)}
              aria-invalid={!customValid || undefined}
            />
            <span className="muted" aria-hidden="true">
              {t("board.facilitator.min")}
            </span>
            <Button
              type="submit"
              variant="secondary"
              className="btn-small"
              aria-disabled={disabled || !customValid}
            >
              {t("board.facilitator.startTimer")}
            </Button>
          </form>
        </>
      ) : (
        <>
          {timer.kind === "running" ? (
            <Button
              variant="secondary"
              className="btn-small"
              onClick={() => void send({ type: "pauseTimer" })}
            >
              {t("board.facilitator.pause")}
            </Button>
          ) : (
            <Button
              variant="secondary"
              className="btn-small"
              onClick={() => void send({ type: "resumeTimer" })}
            >
              {t("board.facilitator.resume")}
            </Button>
          )}
          <Button
            variant="secondary"
            className="btn-small"
            onClick={() => void send({ type: "extendTimer", byMs: MINUTE_MS })}
          >
            {t("board.facilitator.extend")}
          </Button>
          <Button variant="ghost" className="btn-small" onClick={() => void send({ type: "clearTimer" })}>
            {t("board.facilitator.clearTimer")}
          </Button>
        </>
      )}
    </div>
  );
}
