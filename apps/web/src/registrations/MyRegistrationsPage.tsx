import { useState } from "react";
import { Link } from "react-router";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { MyRegistrationsResponse } from "@convivio/protocol";
import { call } from "../api/client";
import { useMe } from "../auth/session";
import { formatDayRange, formatTimeZone, viewerTimeZone } from "../events/datetime";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { Alert } from "../ui/Alert";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { myRegistrationsQueryKey, registrationQueryKey } from "./access";
import { rememberedRegistrations, tokenHeaders } from "./deviceRegistrations";
import { CalendarButton } from "./CalendarButton";
import { StatusBadge } from "./StatusBadge";

type Entry = MyRegistrationsResponse["registrations"][number] & { token?: string | undefined };

/**
 * Every registration this person can reach: those of their account when signed in, and those made
 * or opened on this device with an emailed link (no account needed).
 */
export function MyRegistrationsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("registrations.mine.title"));
  const me = useMe();
  const [remembered] = useState(() => rememberedRegistrations());
  // "Upcoming" and "past" as of opening the page; a page left open over an event's end can wait.
  const [now] = useState(() => Date.now());
  const account = useQuery({
    queryKey: myRegistrationsQueryKey,
    queryFn: ({ signal }) => call("listMyRegistrations", { signal }),
    enabled: Boolean(me.data),
  });
  const device = useQueries({
    queries: remembered.map((entry) => ({
      queryKey: registrationQueryKey(entry.id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        call("getRegistration", {
          params: { registrationId: entry.id },
          headers: tokenHeaders(entry.token),
          signal,
        }),
      retry: false,
    })),
  });

  const loading = me.isPending || (Boolean(me.data) && account.isPending) || device.some((q) => q.isPending);
  const entries = new Map<string, Entry>();
  for (const item of account.data?.registrations ?? []) entries.set(item.registration.id, item);
  device.forEach((query, index) => {
    const data = query.data;
    if (!data || entries.has(data.registration.id)) return;
    entries.set(data.registration.id, {
      registration: data.registration,
      event: data.event,
      token: remembered[index]?.token,
    });
  });
  for (const item of account.data?.registrations ?? []) {
    const local = remembered.find((r) => r.id === item.registration.id);
    if (local) entries.set(item.registration.id, { ...item, token: local.token });
  }
  const all = [...entries.values()];
  const upcoming = all
    .filter((e) => Date.parse(e.event.endsAt) >= now)
    .sort((a, b) => Date.parse(a.event.startsAt) - Date.parse(b.event.startsAt));
  const past = all
    .filter((e) => Date.parse(e.event.endsAt) < now)
    .sort((a, b) => Date.parse(b.event.startsAt) - Date.parse(a.event.startsAt));

  return (
    <div className="container page">
      <header className="page-header">
        <h1>{t("registrations.mine.title")}</h1>
        <p className="muted">
          {t("registrations.mine.intro", { timeZone: formatTimeZone(viewerTimeZone()) })}
        </p>
      </header>

      {!me.isPending && !me.data ? (
        <div className="page-notice">
          <Alert tone="info" title={t("registrations.mine.guestTitle")}>
            <p>
              {t("registrations.mine.guestBody")}{" "}
              <Link to="/sign-in?next=%2Fregistrations">{t("registrations.mine.guestLink")}</Link>
            </p>
          </Alert>
        </div>
      ) : null}

      {account.isError ? (
        <PageLoadError
          title={t("registrations.mine.loadError")}
          error={account.error}
          onRetry={() => void account.refetch()}
        />
      ) : loading ? (
        <PageLoading />
      ) : all.length === 0 ? (
        <section className="card empty-state" aria-labelledby="mine-empty">
          <h2 id="mine-empty">{t("registrations.mine.emptyTitle")}</h2>
          <p>{t("registrations.mine.emptyBody")}</p>
        </section>
      ) : (
        <div className="stack">
          {upcoming.length > 0 ? (
            <section aria-labelledby="mine-upcoming">
              <h2 id="mine-upcoming" className="section-heading">
                {t("registrations.mine.upcoming")}
              </h2>
              <ul className="registration-list" role="list">
                {upcoming.map((entry) => (
                  <RegistrationItem key={entry.registration.id} entry={entry} />
                ))}
              </ul>
            </section>
          ) : null}
          {past.length > 0 ? (
            <section aria-labelledby="mine-past">
              <h2 id="mine-past" className="section-heading">
                {t("registrations.mine.past")}
              </h2>
              <ul className="registration-list" role="list">
                {past.map((entry) => (
                  <RegistrationItem key={entry.registration.id} entry={entry} />
                ))}
              </ul>
            </section>
          ) : null}
        </div>
      )}
    </div>
  );
}

function RegistrationItem({ entry }: { entry: Entry }) {
  const { t } = useTranslation();
  const { registration, event } = entry;
  const locale = INTL_LOCALE[currentLocale()];
  const viewer = viewerTimeZone();
  const active = registration.status !== "cancelled" && registration.status !== "rejected";
  const seats = registration.sessions.filter((s) => s.status !== "cancelled");

  return (
    <li className="card registration-item">
      <div className="registration-item-main">
        <StatusBadge status={registration.status} position={registration.waitlistPosition} />
        <h3 className="registration-item-title">
          <Link to={`/e/${event.slug}`}>{event.title}</Link>
        </h3>
        <p className="muted">{formatDayRange(event.startsAt, event.endsAt, locale, viewer)}</p>
        {seats.length > 0 ? (
          <ul className="chip-list" role="list" aria-label={t("registrations.mine.sessionsLabel")}>
            {seats.map((seat) => (
              <li key={seat.sessionId} className="chip">
                {seat.title}
                {seat.status === "waitlisted" ? ` · ${t("registrations.status.waitlisted")}` : ""}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <div className="registration-item-actions">
        <Link to={`/registrations/${registration.id}`} className="btn btn-primary btn-small">
          {active ? t("registrations.mine.manage") : t("registrations.mine.view")}
          <span className="visually-hidden">: {event.title}</span>
        </Link>
        {active ? (
          <CalendarButton
            registrationId={registration.id}
            token={entry.token}
            slug={event.slug}
            label={t("registrations.mine.calendar")}
            small
          />
        ) : null}
      </div>
    </li>
  );
}
