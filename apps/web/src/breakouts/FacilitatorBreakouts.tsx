// The facilitators' breakout panel: open tables, the assignment board (drag people between tables,
// or use each person's move menu), the overview (who is where since when, board activity), the
// round timer with extend, a message to all tables, calls, visiting a table, close all and roll-up.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { BreakoutAck, MediaTokenResponse, TableRef } from "@convivio/protocol";
import { call } from "../api/client";
import { Button } from "../ui/Button";
import type { BreakoutClientState, BreakoutLive } from "./BreakoutLive";
import { AssignmentBoard } from "./AssignmentBoard";
import { Countdown } from "./Countdown";
import { OpenTablesDialog } from "./OpenTablesDialog";
import { PlanTablesDialog, usePlannedTables } from "./PlannedTables";
import { TableView, tableName } from "./TableView";

const OVERVIEW_POLL_MS = 5_000;

export function FacilitatorBreakouts({
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
  const [opening, setOpening] = useState(false);
  const [planning, setPlanning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [message, setMessage] = useState("");
  const [minutes, setMinutes] = useState("10");
  const [top, setTop] = useState(3);
  const [confirmClose, setConfirmClose] = useState(false);
  const [visiting, setVisiting] = useState<{
    table: TableRef;
    media: MediaTokenResponse | null;
    hidden: boolean;
  } | null>(null);
  const overview = useQuery({
    queryKey: ["breakout-overview", sessionId, state.version],
    queryFn: ({ signal }) => call("getBreakoutOverview", { params: { sessionId }, signal }),
    enabled: state.joined,
    refetchInterval: OVERVIEW_POLL_MS,
    placeholderData: (previous) => previous,
  });
  const run = state.state;
  const active = Boolean(run?.runId);
  const planned = usePlannedTables(sessionId, !active);
  const data = overview.data;

  const send = async (
    command: Parameters<BreakoutLive["command"]>[0],
    done?: string,
  ): Promise<BreakoutAck> => {
    setError(null);
    setInfo(null);
    const ack = await client.command(command);
    if (!ack.ok) setError(ack.code);
    else if (done) setInfo(done);
    return ack;
  };

  const visit = async (tableId: string, hidden: boolean) => {
    const ack = await send({ type: "visit", tableId, hidden });
    if (ack.ok && ack.table) setVisiting({ table: ack.table, media: ack.media ?? null, hidden });
  };

  return (
    <section className="card breakout-panel" aria-labelledby="breakout-panel-title">
      <div className="breakout-panel-head">
        <div>
          <h2 id="breakout-panel-title">{t("breakouts.title")}</h2>
          <p className="muted">
            {active && run
              ? t("breakouts.status.open", { count: run.tables.length, round: run.round, rounds: run.rounds })
              : t("breakouts.status.none")}
          </p>
          {!active && planned.data && planned.data.tables.length > 0 ? (
            <p className="muted small">
              {t("breakouts.plannedCount", { count: planned.data.tables.length })}
            </p>
          ) : null}
        </div>
        <div className="breakout-panel-actions">
          {run?.closingAt ? <Countdown until={run.closingAt} label={t("breakouts.timer.closing")} /> : null}
          {!run?.closingAt && run?.endsAt ? (
            <Countdown until={run.endsAt} label={t("breakouts.timer.left")} />
          ) : null}
          {!active ? (
            <>
              <Button variant="secondary" onClick={() => setPlanning(true)}>
                {t("breakouts.plan.button")}
              </Button>
              <Button onClick={() => setOpening(true)} disabled={!state.joined}>
                {t("breakouts.open.button")}
              </Button>
            </>
          ) : null}
        </div>
      </div>

      {active && run && run.state !== "closing" ? (
        <div className="breakout-controls">
          <form
            className="breakout-inline"
            onSubmit={(e) => {
              e.preventDefault();
              const ms = Math.round(Number(minutes) * 60_000);
              if (ms >= 1_000) void send({ type: "start", durationMs: ms });
            }}
          >
            <label htmlFor="breakout-minutes">{t("breakouts.timer.minutes")}</label>
            <input
              id="breakout-minutes"
              className="input input-small"
              type="number"
              min={1}
              step="any"
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
            />
            <Button type="submit" className="btn-small" variant="secondary">
              {run.state === "running" ? t("breakouts.timer.restart") : t("breakouts.timer.start")}
            </Button>
          </form>
          {run.state === "running" ? (
            <span className="breakout-inline" role="group" aria-label={t("breakouts.timer.extend")}>
              <Button
                className="btn-small"
                variant="secondary"
                onClick={() => void send({ type: "extend", byMs: 60_000 })}
              >
                {t("breakouts.timer.plus", { minutes: 1 })}
              </Button>
              <Button
                className="btn-small"
                variant="secondary"
                onClick={() => void send({ type: "extend", byMs: 300_000 })}
              >
                {t("breakouts.timer.plus", { minutes: 5 })}
              </Button>
            </span>
          ) : null}
          {run.rounds > 1 && run.round < run.rounds ? (
            <Button
              className="btn-small"
              variant="secondary"
              onClick={() => void send({ type: "nextRound" })}
            >
              {t("breakouts.timer.nextRound")}
            </Button>
          ) : null}
          {confirmClose ? (
            <span className="breakout-inline" role="group" aria-label={t("breakouts.close.confirm")}>
              <span>{t("breakouts.close.confirm")}</span>
              <Button
                className="btn-small"
                variant="danger"
                onClick={async () => {
                  setConfirmClose(false);
                  await send({ type: "closeAll", countdownMs: 30_000 });
                }}
              >
                {t("breakouts.close.in30")}
              </Button>
              <Button
                className="btn-small"
                variant="secondary"
                onClick={async () => {
                  setConfirmClose(false);
                  await send({ type: "closeAll", countdownMs: 0 });
                }}
              >
                {t("breakouts.close.now")}
              </Button>
              <Button className="btn-small" variant="ghost" onClick={() => setConfirmClose(false)}>
                {t("breakouts.cancel")}
              </Button>
            </span>
          ) : (
            <Button className="btn-small" variant="danger" onClick={() => setConfirmClose(true)}>
              {t("breakouts.close.button")}
            </Button>
          )}
        </div>
      ) : null}

      {active ? (
        <form
          className="breakout-broadcast"
          onSubmit={async (e) => {
            e.preventDefault();
            const text = message.trim();
            if (!text) return;
            const ack = await send({ type: "broadcast", message: text }, t("breakouts.broadcast.sent"));
            if (ack.ok) setMessage("");
          }}
        >
          <label htmlFor="breakout-broadcast">{t("breakouts.broadcast.label")}</label>
          <input
            id="breakout-broadcast"
            className="input"
            maxLength={500}
            value={message}
            placeholder={t("breakouts.broadcast.placeholder")}
            onChange={(e) => setMessage(e.target.value)}
          />
          <Button type="submit" className="btn-small">
            {t("breakouts.broadcast.send")}
          </Button>
        </form>
      ) : null}

      <div className="breakout-inline breakout-rollup">
        <label htmlFor="breakout-top">{t("breakouts.rollUp.top")}</label>
        <select
          id="breakout-top"
          className="input input-small"
          value={top}
          onChange={(e) => setTop(Number(e.target.value))}
        >
          {[1, 2, 3, 5, 10].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <Button
          className="btn-small"
          variant="secondary"
          disabled={!data || data.tables.length === 0}
          onClick={async () => {
            const ack = await send({ type: "rollUp", top });
            if (ack.ok) setInfo(t("breakouts.rollUp.done", { count: ack.ideas ?? 0 }));
          }}
        >
          {t("breakouts.rollUp.button")}
        </Button>
        <span className="muted">{t("breakouts.rollUp.hint")}</span>
      </div>

      {error ? (
        <p className="live-error" role="alert">
          {t(`errors.${error}`, { defaultValue: t("breakouts.error") })}
        </p>
      ) : null}
      {info ? (
        <p className="breakout-info" role="status">
          {info}
        </p>
      ) : null}

      {state.calls.length > 0 ? (
        <div className="breakout-calls" role="region" aria-label={t("breakouts.calls.title")}>
          <h3>{t("breakouts.calls.title")}</h3>
          <ul>
            {state.calls.map((c) => (
              <li key={c.id}>
                <span>
                  <strong>{c.name}</strong>{" "}
                  {c.tableNumber !== null
                    ? t("breakouts.calls.from", { number: c.tableNumber })
                    : t("breakouts.calls.plenary")}
                  {c.message ? <span className="muted"> — {c.message}</span> : null}
                </span>
                <span className="breakout-inline">
                  {c.tableId ? (
                    <Button className="btn-small" onClick={() => void visit(c.tableId!, false)}>
                      {t("breakouts.calls.go")}
                    </Button>
                  ) : null}
                  <Button
                    className="btn-small"
                    variant="ghost"
                    onClick={() => void send({ type: "resolveCall", callId: c.id })}
                  >
                    {t("breakouts.calls.done")}
                  </Button>
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {visiting ? (
        <div className="breakout-visit">
          <div className="breakout-visit-head">
            <h3>
              {visiting.hidden
                ? t("breakouts.visit.hiddenAt", { table: tableName(t, visiting.table) })
                : t("breakouts.visit.at", { table: tableName(t, visiting.table) })}
            </h3>
            <Button className="btn-small" variant="secondary" onClick={() => setVisiting(null)}>
              {t("breakouts.visit.leave")}
            </Button>
          </div>
          <TableView
            sessionId={sessionId}
            slug={slug}
            table={visiting.table}
            media={visiting.media}
            hidden={visiting.hidden}
          />
        </div>
      ) : null}

      {data && data.tables.length > 0 ? (
        <AssignmentBoard
          overview={data}
          active={active && run?.state !== "closing"}
          onMove={(userId, tableId) => void send({ type: "move", userId, tableId })}
          onVisit={(tableId, hidden) => void visit(tableId, hidden)}
        />
      ) : null}

      {planning ? (
        <PlanTablesDialog sessionId={sessionId} current={planned.data} onClose={() => setPlanning(false)} />
      ) : null}
      {opening ? (
        <OpenTablesDialog
          client={client}
          sessionId={sessionId}
          present={data?.unseated.length ?? 0}
          planned={planned.data?.tables.length ?? 0}
          onClose={() => setOpening(false)}
        />
      ) : null}
    </section>
  );
}
