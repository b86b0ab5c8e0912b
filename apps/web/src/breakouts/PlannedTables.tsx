// Tables planned ahead: facilitators set their topics and seats before the session; attendees sign
// up for one (one per session, while it has seats), and the "from sign-ups" seating puts them there.
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { BREAKOUT_LIMITS, type PlannedTablesResponse } from "@convivio/protocol";
import { call, isApiError } from "../api/client";
import { Dialog } from "../boards/Dialog";
import { Button } from "../ui/Button";
import { tableName } from "./TableView";

const key = (sessionId: string) => ["breakout-tables", sessionId];

export function usePlannedTables(sessionId: string, enabled: boolean) {
  return useQuery({
    queryKey: key(sessionId),
    queryFn: ({ signal }) => call("listBreakoutTables", { params: { sessionId }, signal }),
    enabled,
  });
}

/** An attendee's sign-up for one of the planned tables. */
export function TableSignUp({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const planned = usePlannedTables(sessionId, true);
  const change = useMutation({
    mutationFn: (tableId: string | null) =>
      tableId
        ? call("signUpForTable", { params: { sessionId, tableId } })
        : call("cancelTableSignUp", { params: { sessionId } }),
    onSuccess: (data: PlannedTablesResponse) => queryClient.setQueryData(key(sessionId), data),
  });
  const data = planned.data;
  if (!data || data.tables.length === 0) return null;
  return (
    <section className="card breakout-waiting" aria-labelledby="breakout-signup-title">
      <h2 id="breakout-signup-title">{t("breakouts.signup.title")}</h2>
      <p>{t("breakouts.signup.body")}</p>
      <ul className="breakout-choices">
        {data.tables.map((tbl) => {
          const mine = data.mine === tbl.id;
          const full = tbl.seats !== null && tbl.count >= tbl.seats && !mine;
          return (
            <li key={tbl.id}>
              <span>
                <strong>{tableName(t, tbl)}</strong>{" "}
                <span className="muted">
                  {tbl.seats === null
                    ? t("breakouts.count", { count: tbl.count })
                    : t("breakouts.seatsLeft", { count: Math.max(0, tbl.seats - tbl.count) })}
                </span>
              </span>
              {mine ? (
                <Button
                  className="btn-small"
                  variant="secondary"
                  busy={change.isPending}
                  onClick={() => change.mutate(null)}
                >
                  {t("breakouts.signup.withdraw")}
                </Button>
              ) : (
                <Button
                  className="btn-small"
                  disabled={full}
                  busy={change.isPending}
                  onClick={() => change.mutate(tbl.id)}
                >
                  {full ? t("breakouts.full") : t("breakouts.signup.choose")}
                </Button>
              )}
            </li>
          );
        })}
      </ul>
      {change.error ? (
        <p className="live-error" role="alert">
          {t(`errors.${isApiError(change.error) ? change.error.code : "internal_error"}`, {
            defaultValue: t("breakouts.error"),
          })}
        </p>
      ) : null}
    </section>
  );
}

/** Facilitators plan the session's tables (topics and seats) for attendees to sign up for. */
export function PlanTablesDialog({
  sessionId,
  current,
  onClose,
}: {
  sessionId: string;
  current: PlannedTablesResponse | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [topics, setTopics] = useState(() => current?.tables.map((tbl) => tbl.topic).join("\n") ?? "");
  const [seats, setSeats] = useState(() => String(current?.tables[0]?.seats ?? ""));
  const save = useMutation({
    mutationFn: () => {
      const list = topics
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean)
        .slice(0, BREAKOUT_LIMITS.maxTables);
      const n = seats.trim() === "" ? null : Math.max(1, Math.floor(Number(seats)));
      return call("planBreakoutTables", {
        params: { sessionId },
        body: { tables: list.map((topic) => ({ topic, seats: Number.isFinite(n) ? n : null })) },
      });
    },
    onSuccess: (data) => {
      queryClient.setQueryData(key(sessionId), data);
      onClose();
    },
  });
  return (
    <Dialog
      title={t("breakouts.plan.title")}
      description={t("breakouts.plan.description")}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            {t("breakouts.cancel")}
          </Button>
          <Button type="submit" busy={save.isPending}>
            {t("breakouts.plan.save")}
          </Button>
        </>
      }
    >
      <label className="field" htmlFor="plan-topics">
        <span className="field-label">{t("breakouts.open.topics")}</span>
        <textarea
          id="plan-topics"
          className="input"
          rows={5}
          value={topics}
          placeholder={t("breakouts.open.topicsPlaceholder")}
          onChange={(e) => setTopics(e.target.value)}
        />
      </label>
      <label className="field" htmlFor="plan-seats">
        <span className="field-label">{t("breakouts.open.seats")}</span>
        <input
          id="plan-seats"
          className="input"
          type="number"
          min={1}
          value={seats}
          onChange={(e) => setSeats(e.target.value)}
        />
      </label>
      {save.error ? (
        <p className="live-error" role="alert">
          {t(`errors.${isApiError(save.error) ? save.error.code : "internal_error"}`, {
            defaultValue: t("breakouts.error"),
          })}
        </p>
      ) : null}
    </Dialog>
  );
}
