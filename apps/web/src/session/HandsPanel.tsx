// Raised hands in the order they went up. Facilitators bring one on stage (that person may then
// publish in the plenary) and take it back; everyone may lower their own.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { SessionAck } from "@convivio/protocol";
import { useMe } from "../auth/session";
import { Button } from "../ui/Button";
import { useLiveSession, useSessionState } from "./useSession";

export function HandsPanel({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation();
  const client = useLiveSession(sessionId);
  const session = useSessionState(client);
  const me = useMe().data;
  const [problem, setProblem] = useState<string | null>(null);
  const hands = session?.hands ?? [];
  const isFacilitator = session?.role === "facilitator";

  const act = async (run: () => Promise<SessionAck> | undefined) => {
    const ack = await run();
    setProblem(ack && !ack.ok ? ack.code : null);
  };

  return (
    <section className="hands-panel" aria-label={t("session.hands.title")}>
      {problem ? (
        <p className="live-error" role="alert">
          {t(`errors.${problem}`, { defaultValue: t("session.error") })}
        </p>
      ) : null}
      {hands.length === 0 ? (
        <p className="muted side-empty">{t("session.hands.empty")}</p>
      ) : (
        <ol className="hands-list">
          {hands.map((hand, index) => (
            <li key={hand.userId} className={hand.onStage ? "hand on-stage" : "hand"}>
              <span className="hand-place" aria-hidden="true">
                {index + 1}
              </span>
              <span className="hand-name">
                {hand.name}
                {hand.userId === me?.id ? <span className="muted"> {t("session.people.you")}</span> : null}
                {hand.onStage ? (
                  <span className="badge badge-stage">{t("session.hands.onStage")}</span>
                ) : null}
              </span>
              {isFacilitator ? (
                <span className="hand-actions">
                  {hand.onStage ? (
                    <Button
                      variant="secondary"
                      className="btn-small"
                      onClick={() => void act(() => client?.setStage(hand.userId, false))}
                    >
                      {t("session.hands.takeBack")}
                    </Button>
                  ) : (
                    <>
                      <Button
                        className="btn-small"
                        onClick={() => void act(() => client?.setStage(hand.userId, true))}
                      >
                        {t("session.hands.bringOnStage")}
                      </Button>
                      <Button
                        variant="ghost"
                        className="btn-small"
                        onClick={() => void act(() => client?.lowerHand(hand.userId))}
                        aria-label={t("session.hands.lowerFor", { name: hand.name })}
                      >
                        {t("session.hands.lowerShort")}
                      </Button>
                    </>
                  )}
                </span>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Raise or lower one's own hand. */
export function HandButton({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation();
  const client = useLiveSession(sessionId);
  const session = useSessionState(client);
  const me = useMe().data;
  const mine = session?.hands.find((hand) => hand.userId === me?.id);
  if (!session?.joined || session.live?.status !== "live") return null;
  return mine ? (
    <Button
      variant="secondary"
      className="btn-small hand-button raised"
      onClick={() => void client?.lowerHand()}
    >
      <HandIcon />
      {mine.onStage ? t("session.hands.leaveStage") : t("session.hands.lower")}
    </Button>
  ) : (
    <Button variant="secondary" className="btn-small hand-button" onClick={() => void client?.raiseHand()}>
      <HandIcon />
      {t("session.hands.raise")}
    </Button>
  );
}

function HandIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="icon">
      <path d="M8 12V5.5a1.5 1.5 0 0 1 3 0V11M11 10V4.5a1.5 1.5 0 0 1 3 0V11M14 10.5V6a1.5 1.5 0 0 1 3 0v7.5c0 4-2.5 6.5-6 6.5-2.7 0-4.2-1.4-5.6-3.6L4 13.5a1.5 1.5 0 0 1 2.5-1.6L8 14" />
    </svg>
  );
}
