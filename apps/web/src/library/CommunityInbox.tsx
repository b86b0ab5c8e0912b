// A community's inbox, for its editors: the items sent down from above, each to adopt (a linked
// draft copy to adapt), decline, or report an outcome for (tabled, approved, rejected, with a date).
import { useId, useState } from "react";
import { Link, useNavigate } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { OUTCOMES, type CommunityDetail, type InboxEntry, type Outcome } from "@convivio/protocol";
import { call } from "../api/client";
import { Dialog } from "../boards/Dialog";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage } from "../ui/message";
import { KindPill, libraryKeys, useFormatDate } from "./shared";

export function Inbox({ community }: { community: CommunityDetail }) {
  const { t } = useTranslation();
  const headingId = useId();
  const inbox = useQuery({
    queryKey: libraryKeys.inbox(community.slug),
    queryFn: ({ signal }) => call("getCommunityInbox", { params: { slug: community.slug }, signal }),
  });
  const entries = inbox.data?.entries ?? [];
  return (
    <section className="card lib-inbox" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {t("library.inbox.title", { count: entries.filter((e) => e.status === "received").length })}
      </h2>
      {inbox.isError ? <FormAlert message={errorMessage(inbox.error)} /> : null}
      {entries.length === 0 ? <p className="muted">{t("library.inbox.empty")}</p> : null}
      <ul className="lib-inbox-list">
        {entries.map((entry) => (
          <InboxRow key={entry.id} entry={entry} slug={community.slug} />
        ))}
      </ul>
    </section>
  );
}

function InboxRow({ entry, slug }: { entry: InboxEntry; slug: string }) {
  const { t } = useTranslation();
  const format = useFormatDate();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [reporting, setReporting] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: libraryKeys.inbox(slug) });
  const adopt = useMutation({
    mutationFn: () => call("adoptDelivery", { params: { deliveryId: entry.id } }),
    onSuccess: async ({ item }) => {
      await refresh();
      await navigate(`/library/items/${item.id}/edit`);
    },
  });
  const decline = useMutation({
    mutationFn: () => call("declineDelivery", { params: { deliveryId: entry.id } }),
    onSuccess: refresh,
  });
  const error = adopt.error ?? decline.error;
  return (
    <li className="lib-inbox-entry" data-item-title={entry.item.title}>
      <div className="lib-result-head">
        <KindPill kind={entry.item.kind} />
        <Link to={`/library/items/${entry.item.id}`} className="lib-result-title">
          {entry.item.title}
        </Link>
      </div>
      <p className="list-meta">
        <span>{t("library.inbox.from", { community: entry.from.name })}</span>
        <span>{format(entry.createdAt)}</span>
        <span className={`pill lib-delivery lib-delivery-${entry.status}`}>
          {t(`library.delivery.${entry.status}`)}
        </span>
        {entry.outcome ? (
          <span className={`pill lib-outcome lib-outcome-${entry.outcome}`}>
            {t(`library.outcome.${entry.outcome}`)} · {format(entry.outcomeOn)}
          </span>
        ) : null}
      </p>
      {entry.note ? <p className="lib-note">{entry.note}</p> : null}
      {error ? <FormAlert message={errorMessage(error)} /> : null}
      <div className="lib-inbox-actions">
        {entry.status === "adopted" && entry.adoptedItemId ? (
          <Link className="btn btn-secondary btn-small" to={`/library/items/${entry.adoptedItemId}`}>
            {t("library.inbox.openCopy")}
          </Link>
        ) : null}
        {entry.status === "received" ? (
          <>
            <Button className="btn-small" busy={adopt.isPending} onClick={() => adopt.mutate()}>
              {t("library.inbox.adopt")}
            </Button>
            <Button
              variant="secondary"
              className="btn-small"
              busy={decline.isPending}
              onClick={() => decline.mutate()}
            >
              {t("library.inbox.decline")}
            </Button>
          </>
        ) : null}
        <Button variant="ghost" className="btn-small" onClick={() => setReporting(true)}>
          {entry.outcome ? t("library.inbox.changeOutcome") : t("library.inbox.reportOutcome")}
        </Button>
      </div>
      {reporting ? (
        <OutcomeDialog entry={entry} onDone={() => void refresh()} onClose={() => setReporting(false)} />
      ) : null}
    </li>
  );
}

function OutcomeDialog({
  entry,
  onClose,
  onDone,
}: {
  entry: InboxEntry;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<Outcome>(entry.outcome ?? "tabled");
  const [on, setOn] = useState(entry.outcomeOn ?? new Date().toISOString().slice(0, 10));
  const [note, setNote] = useState(entry.outcomeNote ?? "");
  const noteId = useId();
  const dateId = useId();
  const report = useMutation({
    mutationFn: () =>
      call("reportDeliveryOutcome", { params: { deliveryId: entry.id }, body: { outcome, on, note } }),
    onSuccess: () => {
      onDone();
      onClose();
    },
  });
  return (
    <Dialog
      title={t("library.inbox.outcomeTitle")}
      description={entry.item.title}
      onClose={onClose}
      onSubmit={() => report.mutate()}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" busy={report.isPending}>
            {t("library.inbox.saveOutcome")}
          </Button>
        </>
      }
    >
      {report.isError ? <FormAlert message={errorMessage(report.error)} /> : null}
      <fieldset className="lib-mode">
        <legend className="field-label">{t("library.inbox.outcome")}</legend>
        {OUTCOMES.map((value) => (
          <label key={value}>
            <input
              type="radio"
              name="outcome"
              checked={outcome === value}
              onChange={() => setOutcome(value)}
            />{" "}
            {t(`library.outcome.${value}`)}
          </label>
        ))}
      </fieldset>
      <label className="field-label" htmlFor={dateId}>
        {t("library.inbox.date")}
      </label>
      <input
        id={dateId}
        className="input"
        type="date"
        required
        value={on}
        onChange={(e) => setOn(e.target.value)}
      />
      <label className="field-label" htmlFor={noteId}>
        {t("library.inbox.note")}
      </label>
      <textarea
        id={noteId}
        className="input"
        rows={3}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
    </Dialog>
  );
}
