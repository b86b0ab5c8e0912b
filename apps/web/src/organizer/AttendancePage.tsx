// The console's attendance tab: the whole event (a row per person, a column group per session with
// its plenary and tables) and one session at a time (visits, minutes per room, first in and last
// out), each with its CSV. Attendance is what LiveKit reports, so without video the page says so.
import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  routes,
  type AttendanceReport,
  type EventAttendanceReport,
  type EventDetail,
} from "@convivio/protocol";
import { buildPath, call } from "../api/client";
import { formatDateTime } from "../events/zonedTime";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { Alert } from "../ui/Alert";
import { attendanceNotice, minutesText, roomLabel } from "./attendanceView";
import { useManagedEvent } from "./manageContext";
import "../styles/attendance.css";

const attendanceKey = (slug: string) => ["event", slug, "attendance"] as const;

export function AttendancePage() {
  const { t } = useTranslation();
  const event = useManagedEvent();
  const media = useQuery({
    queryKey: ["media"],
    queryFn: ({ signal }) => call("getMediaStatus", { signal }),
    staleTime: 5 * 60_000,
  });
  const report = useQuery({
    queryKey: attendanceKey(event.slug),
    queryFn: ({ signal }) => call("getEventAttendance", { params: { slug: event.slug }, signal }),
  });

  if (report.isPending || media.isPending) return <PageLoading />;
  if (report.isError) {
    return (
      <PageLoadError
        title={t("attendance.loadError")}
        error={report.error}
        onRetry={() => void report.refetch()}
      />
    );
  }
  const notice = attendanceNotice(media.data?.configured === true, report.data.people.length > 0);
  return (
    <div className="stack is-wide attendance">
      <p className="lede attendance-intro">{t("attendance.intro")}</p>
      {notice === "videoOff" ? (
        <section className="card attendance-off" aria-labelledby="attendance-off-title">
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="attendance-off-icon">
            <rect x="3" y="6" width="13" height="12" rx="2" />
            <path d="m16 10 5-3v10l-5-3M3 3l18 18" />
          </svg>
          <h2 id="attendance-off-title">{t("attendance.videoOff.title")}</h2>
          <p>{t("attendance.videoOff.body")}</p>
        </section>
      ) : (
        <>
          {notice === "videoOffEarlier" ? (
            <Alert tone="warning">{t("attendance.videoOff.earlier")}</Alert>
          ) : null}
          {notice === "empty" ? <Alert tone="info">{t("attendance.empty")}</Alert> : null}
          <EventTable event={event} report={report.data} />
          <SessionSection event={event} attended={report.data.sessions.map((s) => s.sessionId)} />
        </>
      )}
    </div>
  );
}

function useMinutes() {
  const locale = INTL_LOCALE[currentLocale()];
  const format = useMemo(() => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }), [locale]);
  return (minutes: number | undefined) => {
    const text = minutesText(minutes, format);
    return text === null ? <span className="muted">—</span> : text;
  };
}

function DownloadLink({ href, label }: { href: string; label: string }) {
  const { t } = useTranslation();
  return (
    <a className="btn btn-secondary btn-small" href={href} download aria-label={label}>
      <svg className="btn-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M12 4v11m-4.5-4.5L12 15l4.5-4.5M5 19h14" />
      </svg>
      {t("attendance.download")}
    </a>
  );
}

function EventTable({ event, report }: { event: EventDetail; report: EventAttendanceReport }) {
  const { t } = useTranslation();
  const minutes = useMinutes();
  const locale = INTL_LOCALE[currentLocale()];
  return (
    <section className="card table-card" aria-labelledby="attendance-event-title">
      <div className="card-heading">
        <h2 id="attendance-event-title">{t("attendance.event.title")}</h2>
        <DownloadLink
          href={buildPath(routes.exportEventAttendance.path, { slug: event.slug })}
          label={`${t("attendance.download")}: ${t("attendance.event.title")}`}
        />
      </div>
      <p className="muted attendance-hint">
        {t("attendance.event.people", { count: report.people.length })} · {t("attendance.event.hint")}
      </p>
      {report.people.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table attendance-table">
            <caption className="visually-hidden">{t("attendance.event.caption")}</caption>
            <thead>
              <tr>
                <th scope="col" rowSpan={2} className="person-head">
                  {t("attendance.event.person")}
                </th>
                <th scope="col" rowSpan={2} className="cell-num">
                  {t("attendance.event.total")}
                </th>
                {report.sessions.map((s) => (
                  <th
                    key={s.sessionId}
                    scope="colgroup"
                    colSpan={s.rooms.length + 1}
                    className="session-head"
                  >
                    <span className="session-head-title">{s.title}</span>
                    <span className="session-head-time">
                      {formatDateTime(s.startsAt, locale, event.timeZone)}
                    </span>
                  </th>
                ))}
              </tr>
              <tr>
                {report.sessions.flatMap((s) => [
                  <th key={`${s.sessionId}-total`} scope="col" className="cell-num group-start">
                    {t("attendance.event.sessionTotal")}
                  </th>,
                  ...s.rooms.map((room) => (
                    <th key={`${s.sessionId}-${room.key}`} scope="col" className="cell-num room-head">
                      {roomLabel(t, room)}
                    </th>
                  )),
                ])}
              </tr>
            </thead>
            <tbody>
              {report.people.map((p) => (
                <tr key={p.userId}>
                  <th scope="row" className="person-cell">
                    <span className="person-name">{p.name}</span>
                    <span className="muted small person-email">{p.email}</span>
                  </th>
                  <td className="cell-num strong">{minutes(p.minutesPresent)}</td>
                  {report.sessions.flatMap((s) => {
                    const mine = p.sessions[s.sessionId];
                    return [
                      <td key={`${s.sessionId}-total`} className="cell-num group-start strong">
                        {minutes(mine?.minutesPresent)}
                      </td>,
                      ...s.rooms.map((room) => (
                        <td key={`${s.sessionId}-${room.key}`} className="cell-num">
                          {minutes(mine?.minutesByRoom[room.key])}
                        </td>
                      )),
                    ];
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function SessionSection({ event, attended }: { event: EventDetail; attended: string[] }) {
  const { t } = useTranslation();
  const sessions = [...event.sessions].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const [chosen, setChosen] = useState<string | null>(null);
  const sessionId = chosen ?? sessions.find((s) => attended.includes(s.id))?.id ?? sessions[0]?.id ?? null;
  const locale = INTL_LOCALE[currentLocale()];
  if (!sessionId) return null;
  const title = sessions.find((s) => s.id === sessionId)?.title ?? "";
  return (
    <section className="card table-card" aria-labelledby="attendance-session-title">
      <div className="card-heading">
        <h2 id="attendance-session-title">{t("attendance.session.title")}</h2>
        <DownloadLink
          href={buildPath(routes.exportSessionAttendance.path, { sessionId })}
          label={`${t("attendance.download")}: ${title}`}
        />
      </div>
      <div className="field attendance-session-pick">
        <label className="field-label" htmlFor="attendance-session">
          {t("attendance.session.choose")}
        </label>
        <select
          id="attendance-session"
          className="input select"
          value={sessionId}
          onChange={(changed) => setChosen(changed.target.value)}
        >
          {sessions.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title} · {formatDateTime(s.startsAt, locale, event.timeZone)}
              {attended.includes(s.id) ? "" : ` (${t("attendance.none")})`}
            </option>
          ))}
        </select>
      </div>
      <SessionTable event={event} sessionId={sessionId} title={title} />
    </section>
  );
}

function SessionTable({ event, sessionId, title }: { event: EventDetail; sessionId: string; title: string }) {
  const { t } = useTranslation();
  const minutes = useMinutes();
  const locale = INTL_LOCALE[currentLocale()];
  const report = useQuery({
    queryKey: [...attendanceKey(event.slug), sessionId],
    queryFn: ({ signal }) => call("getSessionAttendance", { params: { sessionId }, signal }),
  });
  if (report.isPending) return <PageLoading />;
  if (report.isError) {
    return (
      <PageLoadError
        title={t("attendance.loadError")}
        error={report.error}
        onRetry={() => void report.refetch()}
      />
    );
  }
  const data: AttendanceReport = report.data;
  if (data.people.length === 0) return <p className="muted">{t("attendance.session.nobody")}</p>;
  // "5 Dec, 09:10": the day matters only when a session runs past midnight or is restarted later.
  const clock = new Intl.DateTimeFormat(locale, {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: event.timeZone,
  });
  const time = (iso: string | null) => (iso ? clock.format(new Date(iso)) : "—");
  return (
    <div className="table-wrap">
      <table className="data-table attendance-table">
        <caption className="visually-hidden">{t("attendance.session.caption", { session: title })}</caption>
        <thead>
          <tr>
            <th scope="col" className="person-head">
              {t("attendance.event.person")}
            </th>
            <th scope="col" className="cell-num">
              {t("attendance.session.visits")}
            </th>
            <th scope="col" className="cell-num">
              {t("attendance.session.minutes")}
            </th>
            {data.rooms.map((room) => (
              <th key={room.key} scope="col" className="cell-num room-head">
                {roomLabel(t, room)}
              </th>
            ))}
            <th scope="col">{t("attendance.session.firstJoined")}</th>
            <th scope="col">{t("attendance.session.lastLeft")}</th>
          </tr>
        </thead>
        <tbody>
          {data.people.map((p) => (
            <tr key={p.userId}>
              <th scope="row" className="person-cell">
                <span className="person-name">{p.name}</span>
                <span className="muted small person-email">{p.email}</span>
              </th>
              <td className="cell-num">{p.visits}</td>
              <td className="cell-num strong">{minutes(p.minutesPresent)}</td>
              {data.rooms.map((room) => (
                <td key={room.key} className="cell-num">
                  {minutes(p.minutesByRoom[room.key])}
                </td>
              ))}
              <td className="cell-time">{time(p.firstJoinedAt)}</td>
              <td className="cell-time">{time(p.lastLeftAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
