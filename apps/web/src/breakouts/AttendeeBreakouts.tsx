// What a participant sees of the breakouts: where they sit ("You are at Table 3 · Mobility") with
// that table's video, board and chat; the round's countdown; a button to call a facilitator; the
// tables to pick from when seating is by topic; and a word when they are back in the plenary.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { BreakoutAssignment } from "@convivio/protocol";
import type { BreakoutClientState, BreakoutLive } from "./BreakoutLive";
import { Button } from "../ui/Button";
import { Alert } from "../ui/Alert";
import { Countdown } from "./Countdown";
import { TableHeadline, TableView, tableName } from "./TableView";
import { TableSignUp } from "./PlannedTables";

export function AttendeeBreakouts({
  client,
  state,
  sessionId,
  slug,
}: {
  client: BreakoutLive;
  state: BreakoutClientState;
  sessionId: string;
  slug: string;
}) {
  const { t } = useTranslation();
  // The server says whether this person's call is open (every tab, a reload, an answer, a new round).
  const called = state.myCall !== null;
  const [error, setError] = useState<string | null>(null);
  const [dismissedReturn, setDismissedReturn] = useState<BreakoutAssignment | null>(null);
  const run = state.state;
  const seat = state.assignment;
  const table = seat?.table ?? null;

  const send = async (command: Parameters<BreakoutLive["command"]>[0]) => {
    setError(null);
    const ack = await client.command(command);
    if (!ack.ok) setError(ack.code);
    return ack.ok;
  };

  if (table && seat) {
    return (
      <section className="card breakout-seat" aria-labelledby="breakout-seat-title">
        <div className="breakout-seat-head">
          <div>
            <p className="eyebrow">
              {t("breakouts.seat.eyebrow", { round: seat.round, rounds: run?.rounds ?? 1 })}
            </p>
            <h2 id="breakout-seat-title">{t("breakouts.seat.title", { table: tableName(t, table) })}</h2>
          </div>
          <div className="breakout-seat-actions">
            {run?.closingAt ? (
              <Countdown until={run.closingAt} label={t("breakouts.timer.closing")} />
            ) : run?.endsAt ? (
              <Countdown until={run.endsAt} label={t("breakouts.timer.left")} />
            ) : null}
            <Button
              variant="secondary"
              className="btn-small"
              aria-pressed={called}
              disabled={called}
              onClick={() => void send({ type: "call" })}
            >
              {called ? t("breakouts.seat.called") : t("breakouts.seat.call")}
            </Button>
          </div>
        </div>
        {error ? (
          <p className="live-error" role="alert">
            {t(`errors.${error}`, { defaultValue: t("breakouts.error") })}
          </p>
        ) : null}
        <TableView sessionId={sessionId} slug={slug} table={table} media={seat.media} />
      </section>
    );
  }

  if (run?.runId && run.state !== "closed") {
    const choosing = run.strategy === "topic";
    return (
      <section className="card breakout-waiting" aria-labelledby="breakout-waiting-title">
        <h2 id="breakout-waiting-title">{t("breakouts.waiting.title")}</h2>
        <p>{choosing ? t("breakouts.waiting.choose") : t("breakouts.waiting.body")}</p>
        {choosing ? (
          <ul className="breakout-choices">
            {run.tables.map((tbl) => {
              const full = tbl.seats !== null && tbl.count >= tbl.seats;
              return (
                <li key={tbl.id}>
                  <TableHeadline table={tbl} />
                  <Button
                    className="btn-small"
                    disabled={full}
                    onClick={() => void send({ type: "choose", tableId: tbl.id })}
                  >
                    {full ? t("breakouts.full") : t("breakouts.waiting.sit")}
                  </Button>
                </li>
              );
            })}
          </ul>
        ) : null}
        {error ? (
          <p className="live-error" role="alert">
            {t(`errors.${error}`, { defaultValue: t("breakouts.error") })}
          </p>
        ) : null}
      </section>
    );
  }

  if (seat?.reason === "returned" && dismissedReturn !== seat) {
    return (
      <div className="breakout-returned" role="status">
        <Alert tone="info" title={t("breakouts.returned.title")}>
          <p>{t("breakouts.returned.body")}</p>
          <Button variant="ghost" className="btn-small" onClick={() => setDismissedReturn(seat)}>
            {t("breakouts.returned.ok")}
          </Button>
        </Alert>
      </div>
    );
  }
  return <TableSignUp sessionId={sessionId} />;
}
