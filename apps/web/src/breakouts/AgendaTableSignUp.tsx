// Signing up for a session's table from the agenda (the event page's programme, the lobby), before
// the session starts, when attendees cannot open the live page yet. One request per event lists every
// session's planned tables and the person's sign-ups; a session without planned tables shows nothing,
// and so does the agenda for someone who cannot take part (signed out, not registered) or who runs
// the event (facilitators plan the tables, they do not sign up).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { EventPlannedTablesResponse, PlannedTablesResponse } from "@convivio/protocol";
import { call, isApiError } from "../api/client";
import { useMe } from "../auth/session";
import { plannedTablesKey, SignUpList } from "./PlannedTables";
import { tableName } from "./TableView";
import "../styles/breakouts.css";

// Under the person's registrations: registering or cancelling (which invalidates them) asks again.
const agendaKey = (slug: string) => ["me", "registrations", "breakout-tables", slug];

function useAgendaTables(slug: string) {
  const me = useMe();
  const event = useQuery({
    queryKey: ["event", slug],
    queryFn: ({ signal }) => call("getEvent", { params: { slug }, signal }),
  });
  const leads = event.data?.roles.some((role) => role === "organizer" || role === "facilitator") ?? true;
  return useQuery({
    queryKey: agendaKey(slug),
    queryFn: ({ signal }) => call("listEventBreakoutTables", { params: { slug }, signal }),
    enabled: Boolean(me.data) && !leads,
    // Someone who may not take part gets a 403: nothing to show, nothing to retry.
    retry: (failures, error) => !isApiError(error, "forbidden") && failures < 2,
  });
}

export function AgendaTableSignUp({ slug, sessionId }: { slug: string; sessionId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const agenda = useAgendaTables(slug);
  const changed = (data: PlannedTablesResponse) => {
    queryClient.setQueryData<EventPlannedTablesResponse>(agendaKey(slug), (old) =>
      old
        ? { sessions: old.sessions.map((s) => (s.sessionId === sessionId ? { sessionId, ...data } : s)) }
        : old,
    );
    queryClient.setQueryData(plannedTablesKey(sessionId), data);
  };
  const planned = agenda.data?.sessions.find((s) => s.sessionId === sessionId);
  if (!planned || planned.tables.length === 0) return null;
  const mine = planned.tables.find((tbl) => tbl.id === planned.mine);
  return (
    <details className="agenda-tables">
      <summary>
        {mine
          ? t("breakouts.signup.yours", { table: tableName(t, mine) })
          : t("breakouts.signup.agendaSummary", { count: planned.tables.length })}
      </summary>
      <p className="muted small">{t("breakouts.signup.agendaHint")}</p>
      <SignUpList sessionId={sessionId} tables={planned.tables} mine={planned.mine} onChanged={changed} />
    </details>
  );
}
