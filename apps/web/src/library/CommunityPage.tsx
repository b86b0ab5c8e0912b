// One community: where it sits in the tree, its members (for members; admins add people), its
// items, a follow button for the weekly digest, and — for its editors — the inbox of items sent
// down from above, each to adopt (a linked draft copy), decline, or report an outcome for.
import { useId, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  COMMUNITY_ROLES,
  OUTCOMES,
  type CommunityDetail,
  type CommunityRole,
  type InboxEntry,
  type Outcome,
} from "@convivio/protocol";
import { call } from "../api/client";
import { useMe } from "../auth/session";
import { Dialog } from "../boards/Dialog";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage } from "../ui/message";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { KindPill, libraryKeys, useFormatDate } from "./shared";
import "../styles/library.css";

export function CommunityPage() {
  const { t } = useTranslation();
  const { slug = "" } = useParams();
  const community = useQuery({
    queryKey: libraryKeys.community(slug),
    queryFn: ({ signal }) => call("getCommunity", { params: { slug }, signal }),
  });
  useDocumentTitle(community.data?.community.name ?? t("library.communities.title"));
  if (community.isPending) return <PageLoading />;
  if (community.isError)
    return (
      <div className="container page">
        <PageLoadError
          title={t("library.communities.title")}
          error={community.error}
          onRetry={() => void community.refetch()}
        />
      </div>
    );
  const data = community.data.community;
  const editor = data.myRole === "editor" || data.myRole === "admin";
  return (
    <div className="container page lib-page">
      <nav aria-label={t("library.community.breadcrumb")} className="lib-breadcrumb">
        <Link to="/communities">{t("library.communities.title")}</Link>
        {data.ancestors.map((a) => (
          <span key={a.id}>
            {" / "}
            <Link to={`/communities/${a.slug}`}>{a.name}</Link>
          </span>
        ))}
      </nav>
      <header className="page-header page-header-actions">
        <div>
          <p className="eyebrow">{t(`library.communityKind.${data.kind}`)}</p>
          <h1>{data.name}</h1>
          {data.description ? <p className="muted">{data.description}</p> : null}
          <p className="list-meta">
            <span>{t("library.community.members", { count: data.memberCount })}</span>
            {data.myRole ? (
              <span>{t("library.community.yourRole", { role: t(`library.role.${data.myRole}`) })}</span>
            ) : null}
          </p>
        </div>
        <div className="lib-header-actions">
          <FollowButton community={data} />
          <Link className="btn btn-secondary" to={`/library?community=${data.slug}`}>
            {t("library.community.items")}
          </Link>
        </div>
      </header>
      {editor ? <Inbox community={data} /> : null}
      {data.children.length ? (
        <section className="card" aria-labelledby="lib-children">
          <h2 id="lib-children">{t("library.community.children")}</h2>
          <ul className="lib-children">
            {data.children.map((c) => (
              <li key={c.id}>
                <Link to={`/communities/${c.slug}`}>{c.name}</Link>{" "}
                <span className="muted">· {t(`library.communityKind.${c.kind}`)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {data.myRole ? <Members community={data} /> : null}
    </div>
  );
}

function FollowButton({ community }: { community: CommunityDetail }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const follows = useQuery({
    queryKey: libraryKeys.follows,
    queryFn: ({ signal }) => call("listFollows", { signal }),
    enabled: Boolean(me.data),
  });
  const following =
    follows.data?.follows.some((f) => f.kind === "community" && f.target === community.id) ?? false;
  const toggle = useMutation({
    mutationFn: () =>
      following
        ? call("unfollow", { body: { kind: "community", target: community.id } })
        : call("follow", { body: { kind: "community", target: community.id } }),
    onSuccess: (data) => queryClient.setQueryData(libraryKeys.follows, data),
  });
  if (!me.data) return null;
  return (
    <Button
      variant="secondary"
      aria-pressed={following}
      busy={toggle.isPending}
      onClick={() => toggle.mutate()}
    >
      {following ? t("library.follow.following") : t("library.follow.follow")}
    </Button>
  );
}

function Inbox({ community }: { community: CommunityDetail }) {
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

function Members({ community }: { community: CommunityDetail }) {
  const { t } = useTranslation();
  const headingId = useId();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<CommunityRole>("member");
  const add = useMutation({
    mutationFn: () => call("addCommunityMember", { params: { slug: community.slug }, body: { email, role } }),
    onSuccess: async () => {
      setEmail("");
      await queryClient.invalidateQueries({ queryKey: libraryKeys.community(community.slug) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("library.community.memberList")}</h2>
      <ul className="lib-members">
        {community.members.map((m) => (
          <li key={m.userId}>
            {m.name} <span className="pill lib-role">{t(`library.role.${m.role}`)}</span>
          </li>
        ))}
      </ul>
      {community.myRole === "admin" ? (
        <form className="lib-add-member" onSubmit={submit}>
          <FormAlert message={add.isError ? errorMessage(add.error) : null} />
          <label className="field">
            <span className="field-label">{t("library.community.email")}</span>
            <input
              className="input"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">{t("library.community.role")}</span>
            <select
              className="input select"
              value={role}
              onChange={(e) => setRole(e.target.value as CommunityRole)}
            >
              {COMMUNITY_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`library.role.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <Button type="submit" busy={add.isPending}>
            {t("library.community.add")}
          </Button>
        </form>
      ) : null}
    </section>
  );
}
