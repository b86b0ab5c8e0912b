// Tables planned ahead: facilitators set their topics, seats and hosts before the session;
// attendees sign up for one (one per session, while it has seats) — here on the live page, or from
// the agenda before the session starts (AgendaTableSignUp) — and the "from sign-ups" seating puts
// them there.
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { BREAKOUT_LIMITS, type PlannedTablesResponse, type TableSummary } from "@convivio/protocol";
import { call, isApiError } from "../api/client";
import { Dialog } from "../boards/Dialog";
import { Button } from "../ui/Button";
import { HostPicker, type Hosts } from "./HostPicker";
import { TableHeadline, tableName } from "./TableView";

export const plannedTablesKey = (sessionId: string) => ["breakout-tables", sessionId];
const key = plannedTablesKey;

/** Signs up for a table (or withdraws, `null`): the session's planned tables as they are after it. */
function changeSignUp(sessionId: string, tableId: string | null): Promise<PlannedTablesResponse> {
  return tableId
    ? call("signUpForTable", { params: { sessionId, tableId } })
    : call("cancelTableSignUp", { params: { sessionId } });
}

/**
 * The planned tables with a sign-up (or withdraw) button each, and what went wrong if a change
 * failed; `onChanged` gets the session's planned tables as they are after a change.
 */
export function SignUpList({
  sessionId,
  tables,
  mine,
  onChanged,
}: {
  sessionId: string;
  tables: readonly TableSummary[];
  mine: string | null;
  onChanged: (data: PlannedTablesResponse) => void;
}) {
  const { t } = useTranslation();
  const change = useMutation({
    mutationFn: (tableId: string | null) => changeSignUp(sessionId, tableId),
    onSuccess: onChanged,
  });
  const pending = change.isPending;
  const onChange = (tableId: string | null) => change.mutate(tableId);
  return (
    <>
      <ul className="breakout-choices">
        {tables.map((tbl) => {
          const isMine = mine === tbl.id;
          const full = tbl.seats !== null && tbl.count >= tbl.seats && !isMine;
          return (
            <li key={tbl.id} className={isMine ? "is-mine" : undefined}>
              <TableHeadline table={tbl} />
              {isMine ? (
                <Button
                  className="btn-small"
                  variant="secondary"
                  busy={pending}
                  onClick={() => onChange(null)}
                >
                  {t("breakouts.signup.withdraw")}
                </Button>
              ) : (
                <Button className="btn-small" disabled={full} busy={pending} onClick={() => onChange(tbl.id)}>
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
    </>
  );
}

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
  const data = planned.data;
  if (!data || data.tables.length === 0) return null;
  return (
    <section className="card breakout-waiting" aria-labelledby="breakout-signup-title">
      <h2 id="breakout-signup-title">{t("breakouts.signup.title")}</h2>
      <p>{t("breakouts.signup.body")}</p>
      <SignUpList
        sessionId={sessionId}
        tables={data.tables}
        mine={data.mine}
        onChanged={(changed) => queryClient.setQueryData(key(sessionId), changed)}
      />
    </section>
  );
}

/** Facilitators plan the session's tables (topics, seats, hosts) for attendees to sign up for. */
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
  const [hosts, setHosts] = useState<Hosts>(() => current?.tables.map((tbl) => tbl.hostId) ?? []);
  // Open from the start when hosts were planned before (uncontrolled after that).
  const [hostsOpen] = useState(() => hosts.some(Boolean));
  const list = topics
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, BREAKOUT_LIMITS.maxTables);
  const chosenHosts = list.map((_, i) => hosts[i] ?? null);
  const save = useMutation({
    mutationFn: () => {
      const n = seats.trim() === "" ? null : Math.max(1, Math.floor(Number(seats)));
      return call("planBreakoutTables", {
        params: { sessionId },
        body: {
          tables: list.map((topic, i) => ({
            topic,
            seats: Number.isFinite(n) ? n : null,
            hostId: chosenHosts[i] ?? null,
          })),
        },
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
      {list.length > 0 ? (
        <details className="breakout-details" open={hostsOpen || undefined}>
          <summary>{t("breakouts.hosts.title")}</summary>
          <HostPicker
            sessionId={sessionId}
            tables={list.map((topic, i) => tableName(t, { number: i + 1, topic }))}
            hosts={chosenHosts}
            onChange={setHosts}
          />
        </details>
      ) : null}
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
