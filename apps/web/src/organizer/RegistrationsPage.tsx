import { useEffect, useState } from "react";
import { Link } from "react-router";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  REGISTRATION_LIMITS,
  REGISTRATION_STATUSES,
  RegistrationStatus,
  SessionId as SessionIdSchema,
  routes,
  type DecisionAction,
  type EventDetail,
  type Question,
  type RegistrationId,
  type RegistrationView,
  type SessionId,
} from "@convivio/protocol";
import { buildPath, call } from "../api/client";
import { currentLocale } from "../i18n/i18n";
import { registrationFormQueryKey } from "../registrations/access";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage, type Message } from "../ui/message";
import { AddRegistrationCard } from "./AddRegistrationCard";
import { AnnouncementCard } from "./AnnouncementCard";
import { CountsBar } from "./CountsBar";
import { PersonRow } from "./PersonRow";
import { countsQueryKey, registrationsQueryKey, useManagedEvent } from "./manageContext";

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;

/** Everyone who registered: counts, search, filter, decisions, adding by hand, export, announcements. */
export function RegistrationsPage() {
  const { t } = useTranslation();
  const event = useManagedEvent();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<RegistrationStatus | "">("");
  const [sessionId, setSessionId] = useState<SessionId | "">("");
  const [page, setPage] = useState(0);
  const [panel, setPanel] = useState<"add" | "announce" | null>(null);
  const [notice, setNotice] = useState<Message | null>(null);

  useEffect(() => {
    const timer = window.setTimeout(() => {
      setQuery(search.trim());
      setPage(0);
    }, SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [search]);

  const counts = useQuery({
    queryKey: countsQueryKey(event.slug),
    queryFn: ({ signal }) => call("getRegistrationCounts", { params: { slug: event.slug }, signal }),
  });
  const list = useQuery({
    queryKey: [...registrationsQueryKey(event.slug), { query, status, sessionId, page }],
    queryFn: ({ signal }) =>
      call("listRegistrations", {
        params: { slug: event.slug },
        query: {
          ...(query ? { q: query } : {}),
          ...(status ? { status } : {}),
          ...(sessionId ? { sessionId } : {}),
          limit: PAGE_SIZE,
          offset: page * PAGE_SIZE,
        },
        signal,
      }),
    placeholderData: keepPreviousData,
  });

  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: registrationsQueryKey(event.slug) }),
      queryClient.invalidateQueries({ queryKey: countsQueryKey(event.slug) }),
      queryClient.invalidateQueries({ queryKey: registrationFormQueryKey(event.slug) }),
    ]);
  };

  // The file is written in the language the organizer is reading now.
  const exportHref = `${buildPath(routes.exportRegistrations.path, { slug: event.slug })}?locale=${currentLocale()}`;
  const filtered = query !== "" || status !== "" || sessionId !== "";
  const sessions = counts.data?.sessions ?? [];

  return (
    <div className="stack is-wide">
      {counts.data ? <CountsBar counts={counts.data} /> : null}

      <div role="status" className="form-alert">
        {notice ? <Alert tone="success">{t(notice.key, notice.values)}</Alert> : null}
      </div>

      <div className="toolbar">
        <div className="toolbar-filters">
          <div className="field toolbar-search">
            <label className="field-label" htmlFor="registrations-search">
              {t("registrations.people.search")}
            </label>
            <input
              id="registrations-search"
              className="input"
              type="search"
              value={search}
              maxLength={REGISTRATION_LIMITS.searchMaxLength}
              placeholder={t("registrations.people.searchPlaceholder")}
              onChange={(changed) => setSearch(changed.target.value)}
            />
          </div>
          <div className="field">
            <label className="field-label" htmlFor="registrations-status">
              {t("registrations.people.statusFilter")}
            </label>
            <select
              id="registrations-status"
              className="input select"
              value={status}
              onChange={(changed) => {
                const parsed = RegistrationStatus.safeParse(changed.target.value);
                setStatus(parsed.success ? parsed.data : "");
                setPage(0);
              }}
            >
              <option value="">{t("registrations.people.allStatuses")}</option>
              {REGISTRATION_STATUSES.map((value) => (
                <option key={value} value={value}>
                  {t(`registrations.status.${value}`)}
                  {counts.data ? ` (${counts.data[value]})` : ""}
                </option>
              ))}
            </select>
          </div>
          {sessions.length > 0 ? (
            <div className="field">
              <label className="field-label" htmlFor="registrations-session">
                {t("registrations.people.sessionFilter")}
              </label>
              <select
                id="registrations-session"
                className="input select"
                value={sessionId}
                onChange={(changed) => {
                  const parsed = SessionIdSchema.safeParse(changed.target.value);
                  setSessionId(parsed.success ? parsed.data : "");
                  setPage(0);
                }}
              >
                <option value="">{t("registrations.people.allSessions")}</option>
                {sessions.map((session) => (
                  <option key={session.sessionId} value={session.sessionId}>
                    {session.title} ({session.confirmed + session.waitlisted})
                  </option>
                ))}
              </select>
            </div>
          ) : null}
        </div>
        <div className="toolbar-actions">
          <Button
            variant="secondary"
            aria-expanded={panel === "add"}
            onClick={() => setPanel(panel === "add" ? null : "add")}
          >
            {t("registrations.people.addPerson")}
          </Button>
          <Button
            variant="secondary"
            aria-expanded={panel === "announce"}
            onClick={() => setPanel(panel === "announce" ? null : "announce")}
          >
            {t("registrations.people.announce")}
          </Button>
          <a className="btn btn-secondary" href={exportHref} download>
            <svg className="btn-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path d="M12 4v11m-4.5-4.5L12 15l4.5-4.5M5 19h14" />
            </svg>
            {t("registrations.people.export")}
          </a>
        </div>
      </div>

      {panel === "add" ? (
        <AddRegistrationCard
          event={event}
          questions={list.data?.questions ?? []}
          onClose={() => setPanel(null)}
          onAdded={async (message) => {
            setNotice(message);
            setPanel(null);
            await refresh();
          }}
        />
      ) : null}
      {panel === "announce" ? (
        <AnnouncementCard
          event={event}
          counts={counts.data}
          onClose={() => setPanel(null)}
          onSent={(message) => {
            setNotice(message);
            setPanel(null);
          }}
        />
      ) : null}

      {list.isPending ? (
        <PageLoading />
      ) : list.isError ? (
        <PageLoadError
          title={t("registrations.people.loadError")}
          error={list.error}
          onRetry={() => void list.refetch()}
        />
      ) : list.data.total === 0 ? (
        <section className="card empty-state">
          <h2>{filtered ? t("registrations.people.noMatchTitle") : t("registrations.people.emptyTitle")}</h2>
          <p>
            {filtered ? (
              t("registrations.people.noMatchBody")
            ) : (
              <>
                {t("registrations.people.emptyBody")}{" "}
                <Link to={`/manage/${event.slug}/registration`}>{t("registrations.people.emptyLink")}</Link>
              </>
            )}
          </p>
        </section>
      ) : (
        <RegistrationTable
          key={`${query}|${status}|${sessionId}|${page}`}
          event={event}
          registrations={list.data.registrations}
          questions={list.data.questions}
          total={list.data.total}
          page={page}
          onPage={setPage}
          onDecided={async (message) => {
            setNotice(message);
            await refresh();
          }}
        />
      )}
    </div>
  );
}

function RegistrationTable({
  event,
  registrations,
  questions,
  total,
  page,
  onPage,
  onDecided,
}: {
  event: EventDetail;
  registrations: RegistrationView[];
  questions: Question[];
  total: number;
  page: number;
  onPage: (page: number) => void;
  onDecided: (message: Message) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [selected, setSelected] = useState<Set<RegistrationId>>(new Set());
  const [confirmReject, setConfirmReject] = useState<RegistrationId[] | null>(null);
  const decide = useMutation({
    mutationFn: ({ action, ids }: { action: DecisionAction; ids: RegistrationId[] }) =>
      call("decideRegistrations", { params: { slug: event.slug }, body: { action, registrationIds: ids } }),
    onSuccess: async ({ results }, { action }) => {
      const changed = results.filter((r) => r.changed).length;
      setSelected(new Set());
      setConfirmReject(null);
      await onDecided({
        key:
          changed === results.length
            ? `registrations.people.done.${action}`
            : "registrations.people.donePartly",
        values: { count: changed, skipped: results.length - changed },
      });
    },
  });
  const allSelected = registrations.length > 0 && registrations.every((r) => selected.has(r.id));
  const toggle = (id: RegistrationId, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const chosen = registrations.filter((r) => selected.has(r.id));
  const run = (action: DecisionAction, ids: RegistrationId[]) => {
    if (action === "reject") setConfirmReject(ids);
    else decide.mutate({ action, ids });
  };
  const pages = Math.ceil(total / PAGE_SIZE);

  return (
    <section className="card table-card" aria-labelledby="people-title">
      <div className="card-heading">
        <h2 id="people-title">{t("registrations.people.tableTitle", { count: total })}</h2>
      </div>
      <FormAlert message={decide.isError ? errorMessage(decide.error) : null} />
      {chosen.length > 0 ? (
        <div className="bulk-bar" role="region" aria-label={t("registrations.people.bulkLabel")}>
          <p className="bulk-count">{t("registrations.people.selected", { count: chosen.length })}</p>
          <div className="actions">
            {chosen.some((r) => r.status === "pending") ? (
              <Button
                className="btn-small"
                busy={decide.isPending}
                onClick={() =>
                  run(
                    "approve",
                    chosen.map((r) => r.id),
                  )
                }
              >
                {t("registrations.people.approve")}
              </Button>
            ) : null}
            {chosen.some((r) => r.status === "waitlisted") ? (
              <Button
                className="btn-small"
                variant="secondary"
                busy={decide.isPending}
                onClick={() =>
                  run(
                    "promote",
                    chosen.map((r) => r.id),
                  )
                }
              >
                {t("registrations.people.promote")}
              </Button>
            ) : null}
            {chosen.some((r) => ["pending", "waitlisted", "confirmed"].includes(r.status)) ? (
              <Button
                className="btn-small"
                variant="danger"
                onClick={() =>
                  run(
                    "reject",
                    chosen.map((r) => r.id),
                  )
                }
              >
                {t("registrations.people.reject")}
              </Button>
            ) : null}
            <Button className="btn-small" variant="ghost" onClick={() => setSelected(new Set())}>
              {t("registrations.people.clearSelection")}
            </Button>
          </div>
        </div>
      ) : null}
      {confirmReject ? (
        <div className="confirm" role="group" aria-labelledby="reject-question">
          <p id="reject-question" className="confirm-question">
            {t("registrations.people.rejectQuestion", { count: confirmReject.length })}
          </p>
          <div className="actions">
            <Button
              variant="danger"
              className="btn-small"
              autoFocus
              busy={decide.isPending}
              onClick={() => decide.mutate({ action: "reject", ids: confirmReject })}
            >
              {t("registrations.people.rejectYes", { count: confirmReject.length })}
            </Button>
            <Button variant="ghost" className="btn-small" onClick={() => setConfirmReject(null)}>
              {t("common.cancel")}
            </Button>
          </div>
        </div>
      ) : null}
      <div className="table-wrap">
        <table className="data-table people-table">
          <caption className="visually-hidden">{t("registrations.people.tableCaption")}</caption>
          <thead>
            <tr>
              <th scope="col" className="cell-check">
                <input
                  type="checkbox"
                  className="check"
                  checked={allSelected}
                  aria-label={t("registrations.people.selectAll")}
                  onChange={(changed) =>
                    setSelected(changed.target.checked ? new Set(registrations.map((r) => r.id)) : new Set())
                  }
                />
              </th>
              <th scope="col">{t("registrations.people.person")}</th>
              <th scope="col">{t("registrations.people.status")}</th>
              <th scope="col">{t("registrations.people.registered")}</th>
              <th scope="col">{t("registrations.people.sessions")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("registrations.people.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {registrations.map((registration) => (
              <PersonRow
                key={registration.id}
                registration={registration}
                questions={questions}
                selected={selected.has(registration.id)}
                busy={decide.isPending && decide.variables.ids.includes(registration.id)}
                onSelect={(on) => toggle(registration.id, on)}
                onAction={(action) => run(action, [registration.id])}
              />
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav className="pager" aria-label={t("registrations.people.pages")}>
          <Button
            variant="secondary"
            className="btn-small"
            disabled={page === 0}
            onClick={() => onPage(page - 1)}
          >
            ← {t("registrations.people.previous")}
          </Button>
          <span>{t("registrations.people.pageOf", { page: page + 1, pages })}</span>
          <Button
            variant="secondary"
            className="btn-small"
            disabled={page + 1 >= pages}
            onClick={() => onPage(page + 1)}
          >
            {t("registrations.people.next")} →
          </Button>
        </nav>
      ) : null}
    </section>
  );
}
