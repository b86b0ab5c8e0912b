import { useEffect, useRef, useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  EVENT_LIMITS,
  type AgendaSession,
  type EventDetail,
  type EventTeamResponse,
  type SpaceId,
} from "@convivio/protocol";
import { call } from "../api/client";
import { formatDayHeading, formatTimeRange, formatTimeZone } from "../events/datetime";
import { groupAgenda } from "../events/agenda";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { TextField } from "../ui/Field";
import { FormAlert } from "../ui/FormAlert";
import { Spinner } from "../ui/Spinner";
import { errorMessage, type Message } from "../ui/message";
import { eventQueryKey, teamQueryKey, useManagedEvent, warningsQueryKey } from "./manageContext";
import { SessionForm } from "./SessionForm";
import { describeWarning, sessionsOfWarning } from "./warnings";

/** Spaces and sessions, with the schedule's warnings on top. */
export function SchedulePage() {
  const { t } = useTranslation();
  const event = useManagedEvent();
  const queryClient = useQueryClient();
  const team = useQuery({
    queryKey: teamQueryKey(event.slug),
    queryFn: ({ signal }) => call("listEventTeam", { params: { slug: event.slug }, signal }),
  });
  const warnings = useQuery({
    queryKey: warningsQueryKey(event.slug),
    queryFn: ({ signal }) => call("getScheduleWarnings", { params: { slug: event.slug }, signal }),
  });
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<Message | null>(null);
  const members = team.data?.members ?? [];
  const flagged = new Set((warnings.data?.warnings ?? []).flatMap(sessionsOfWarning));

  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: eventQueryKey(event.slug), exact: true }),
      queryClient.invalidateQueries({ queryKey: warningsQueryKey(event.slug) }),
    ]);
  };

  return (
    <div className="stack">
      <div role="status" className="form-alert">
        {notice ? <Alert tone="success">{t(notice.key, notice.values)}</Alert> : null}
      </div>
      {warnings.data && warnings.data.warnings.length > 0 ? (
        <section aria-labelledby="warnings-title">
          <Alert
            tone="warning"
            title={
              <span id="warnings-title">
                {t("registrations.warnings.title", { count: warnings.data.warnings.length })}
              </span>
            }
          >
            <ul className="warning-list">
              {warnings.data.warnings.map((warning, index) => {
                const message = describeWarning(warning, event, members);
                return <li key={index}>{t(message.key, message.values)}</li>;
              })}
            </ul>
            <p className="small">{t("registrations.warnings.note")}</p>
          </Alert>
        </section>
      ) : null}

      <SpacesCard event={event} onChanged={refresh} />

      <section className="card" aria-labelledby="sessions-title">
        <div className="card-heading">
          <div>
            <h2 id="sessions-title">{t("registrations.schedule.sessionsTitle")}</h2>
            <p className="muted">
              {t("registrations.schedule.sessionsIntro", { timeZone: formatTimeZone(event.timeZone) })}
            </p>
          </div>
          {adding ? null : (
            <Button
              onClick={() => {
                setNotice(null);
                setAdding(true);
              }}
            >
              {t("registrations.schedule.addSession")}
            </Button>
          )}
        </div>
        {adding ? (
          <SessionForm
            event={event}
            team={members}
            onCancel={() => setAdding(false)}
            onSaved={async (saved) => {
              setAdding(false);
              setNotice({
                key:
                  saved.warnings.length > 0
                    ? "registrations.schedule.addedWithWarnings"
                    : "registrations.schedule.added",
                values: { title: saved.session.title },
              });
              await refresh();
            }}
          />
        ) : null}
        <SessionList
          event={event}
          team={members}
          flagged={flagged}
          onChanged={async (message) => {
            setNotice(message);
            await refresh();
          }}
        />
      </section>
    </div>
  );
}

function SessionList({
  event,
  team,
  flagged,
  onChanged,
}: {
  event: EventDetail;
  team: EventTeamResponse["members"];
  flagged: Set<string>;
  onChanged: (message: Message) => Promise<void>;
}) {
  const { t } = useTranslation();
  const locale = INTL_LOCALE[currentLocale()];
  // Days and times as the event's own clock has them: that is what the organizer typed.
  const days = groupAgenda(event, event.timeZone);
  if (days.length === 0) return <p className="muted empty-line">{t("registrations.schedule.noSessions")}</p>;
  return (
    <div className="schedule-days">
      {days.map((day) => (
        <section key={day.day} aria-labelledby={`sday-${day.day}`}>
          <h3 id={`sday-${day.day}`} className="agenda-day-title">
            {formatDayHeading(day.firstStartsAt, locale, event.timeZone)}
          </h3>
          <ul className="schedule-list" role="list">
            {day.tracks
              .flatMap((track) => track.sessions.map((session) => ({ session, space: track.space })))
              .sort((a, b) => Date.parse(a.session.startsAt) - Date.parse(b.session.startsAt))
              .map(({ session, space }) => (
                <SessionRow
                  key={session.id}
                  event={event}
                  session={session}
                  spaceName={space?.name ?? t("event.wholeEvent")}
                  team={team}
                  flagged={flagged.has(session.id)}
                  onChanged={onChanged}
                />
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function SessionRow({
  event,
  session,
  spaceName,
  team,
  flagged,
  onChanged,
}: {
  event: EventDetail;
  session: AgendaSession;
  spaceName: string;
  team: EventTeamResponse["members"];
  flagged: boolean;
  onChanged: (message: Message) => Promise<void>;
}) {
  const { t } = useTranslation();
  const locale = INTL_LOCALE[currentLocale()];
  const [mode, setMode] = useState<"view" | "edit" | "delete">("view");
  const confirmRef = useRef<HTMLParagraphElement>(null);
  const detail = useQuery({
    queryKey: ["event", event.slug, "session", session.id],
    queryFn: ({ signal }) =>
      call("getSession", { params: { slug: event.slug, sessionId: session.id }, signal }),
    enabled: mode === "edit",
  });
  const remove = useMutation({
    mutationFn: () => call("deleteSession", { params: { slug: event.slug, sessionId: session.id } }),
    onSuccess: () => onChanged({ key: "registrations.schedule.deleted", values: { title: session.title } }),
  });
  useEffect(() => {
    if (mode === "delete") confirmRef.current?.focus();
  }, [mode]);

  if (mode === "edit") {
    if (!detail.data) {
      return (
        <li className="schedule-item">
          {detail.isError ? (
            <FormAlert message={errorMessage(detail.error)} />
          ) : (
            <p className="pending" role="status">
              <Spinner /> {t("common.loading")}
            </p>
          )}
        </li>
      );
    }
    return (
      <li className="schedule-item is-editing">
        <SessionForm
          event={event}
          session={detail.data.session}
          team={team}
          onCancel={() => setMode("view")}
          onSaved={async (saved) => {
            setMode("view");
            await detail.refetch();
            await onChanged({
              key:
                saved.warnings.length > 0
                  ? "registrations.schedule.savedWithWarnings"
                  : "registrations.schedule.saved",
              values: { title: saved.session.title },
            });
          }}
        />
      </li>
    );
  }

  return (
    <li className={flagged ? "schedule-item has-warning" : "schedule-item"}>
      <p className="schedule-time">
        <time dateTime={session.startsAt}>
          {formatTimeRange(session.startsAt, session.endsAt, locale, event.timeZone)}
        </time>
      </p>
      <div className="schedule-main">
        <p className="schedule-title">
          <span>{session.title}</span>
          <span className={`kind kind-${session.kind}`}>{t(`sessionKind.${session.kind}`)}</span>
          {flagged ? (
            <span className="warning-flag">
              <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d="M12 8v5m0 3.5v.01M10.3 3.9 2.4 17.5A2 2 0 0 0 4.1 20.5h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z" />
              </svg>
              {t("registrations.schedule.hasWarning")}
            </span>
          ) : null}
        </p>
        <p className="muted small">{spaceName}</p>
        {mode === "delete" ? (
          <div className="confirm">
            <p ref={confirmRef} tabIndex={-1} className="confirm-question">
              {t("registrations.schedule.deleteQuestion", { title: session.title })}
            </p>
            <FormAlert message={remove.isError ? errorMessage(remove.error) : null} />
            <div className="actions">
              <Button
                variant="danger"
                className="btn-small"
                busy={remove.isPending}
                onClick={() => remove.mutate()}
              >
                {t("registrations.schedule.deleteYes")}
              </Button>
              <Button variant="ghost" className="btn-small" onClick={() => setMode("view")}>
                {t("common.cancel")}
              </Button>
            </div>
          </div>
        ) : null}
      </div>
      {mode === "view" ? (
        <div className="schedule-actions">
          <Button variant="secondary" className="btn-small" onClick={() => setMode("edit")}>
            {t("registrations.common.edit")}
            <span className="visually-hidden">: {session.title}</span>
          </Button>
          <Button variant="ghost" className="btn-small" onClick={() => setMode("delete")}>
            {t("registrations.common.delete")}
            <span className="visually-hidden">: {session.title}</span>
          </Button>
        </div>
      ) : null}
    </li>
  );
}

function SpacesCard({ event, onChanged }: { event: EventDetail; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const [name, setName] = useState("");
  const [error, setError] = useState<Message | undefined>();
  const add = useMutation({
    mutationFn: (spaceName: string) =>
      call("createSpace", {
        params: { slug: event.slug },
        body: { name: spaceName, position: event.spaces.length },
      }),
    onSuccess: async () => {
      setName("");
      await onChanged();
    },
    onError: (failure) => setError(errorMessage(failure)),
  });
  const onAdd = (submitted: FormEvent) => {
    submitted.preventDefault();
    if (add.isPending) return;
    if (!name.trim()) return setError({ key: "registrations.schedule.spaceNameRequired" });
    setError(undefined);
    add.mutate(name.trim());
  };
  const spaces = [...event.spaces].sort((a, b) => a.position - b.position);
  return (
    <section className="card" aria-labelledby="spaces-title">
      <h2 id="spaces-title">{t("registrations.schedule.spacesTitle")}</h2>
      <p className="muted">{t("registrations.schedule.spacesIntro")}</p>
      {spaces.length > 0 ? (
        <ul className="space-list" role="list">
          {spaces.map((space) => (
            <SpaceRow key={space.id} slug={event.slug} space={space} onChanged={onChanged} />
          ))}
        </ul>
      ) : null}
      <form className="inline-form" onSubmit={onAdd} noValidate>
        <TextField
          name="spaceName"
          label={t("registrations.schedule.newSpace")}
          maxLength={EVENT_LIMITS.spaceNameMaxLength}
          value={name}
          error={error}
          onValueChange={(value) => {
            setName(value);
            setError(undefined);
          }}
        />
        <Button type="submit" variant="secondary" busy={add.isPending}>
          {t("registrations.schedule.addSpace")}
        </Button>
      </form>
    </section>
  );
}

function SpaceRow({
  slug,
  space,
  onChanged,
}: {
  slug: string;
  space: EventDetail["spaces"][number];
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(space.name);
  const [error, setError] = useState<Message | null>(null);
  const params = { slug, spaceId: space.id as SpaceId };
  const rename = useMutation({
    mutationFn: () => call("updateSpace", { params, body: { name: name.trim() } }),
    onSuccess: onChanged,
    onError: (failure) => setError(errorMessage(failure)),
  });
  const remove = useMutation({
    mutationFn: () => call("deleteSpace", { params }),
    onSuccess: onChanged,
    onError: (failure) => setError(errorMessage(failure)),
  });
  const changed = name.trim() !== space.name && name.trim() !== "";
  return (
    <li className="space-item">
      <form
        className="space-form"
        onSubmit={(submitted) => {
          submitted.preventDefault();
          if (changed) rename.mutate();
        }}
      >
        <label className="visually-hidden" htmlFor={`space-${space.id}`}>
          {t("registrations.schedule.spaceName")}
        </label>
        <input
          id={`space-${space.id}`}
          className="input"
          value={name}
          maxLength={EVENT_LIMITS.spaceNameMaxLength}
          onChange={(changedEvent) => setName(changedEvent.target.value)}
        />
        {changed ? (
          <Button type="submit" variant="secondary" className="btn-small" busy={rename.isPending}>
            {t("registrations.schedule.rename")}
          </Button>
        ) : null}
        <Button variant="ghost" className="btn-small" busy={remove.isPending} onClick={() => remove.mutate()}>
          {t("registrations.common.delete")}
          <span className="visually-hidden">: {space.name}</span>
        </Button>
      </form>
      <FormAlert message={error} />
    </li>
  );
}
