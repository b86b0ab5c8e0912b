// One community: where it sits in the tree, its public events, its members (for members; admins
// manage them), its items, a follow button for the weekly digest, and — for its editors — the
// inbox of items sent down from above (CommunityInbox.tsx).
import { useId, useState } from "react";
import { Link, useParams } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { CommunityDetail } from "@convivio/protocol";
import { call } from "../api/client";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { Inbox } from "./CommunityInbox";
import { Members } from "./CommunityMembers";
import { FollowButton } from "./FollowButton";
import { libraryKeys, useFormatDate } from "./shared";
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
          <FollowButton target={{ kind: "community", target: data.id }} />
          <Link className="btn btn-secondary" to={`/library?community=${data.slug}`}>
            {t("library.community.items")}
          </Link>
        </div>
      </header>
      {editor ? <Inbox community={data} /> : null}
      <CommunityEvents community={data} />
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

/** The community's public events: the coming ones, then the past ones. */
function CommunityEvents({ community }: { community: CommunityDetail }) {
  const { t } = useTranslation();
  const headingId = useId();
  const format = useFormatDate();
  // When the page was opened: what counts as past does not move while one reads it.
  const [now] = useState(() => Date.now());
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("library.community.events")}</h2>
      {community.events.length === 0 ? (
        <p className="muted">{t("library.community.noEvents")}</p>
      ) : (
        <ul className="lib-events">
          {community.events.map((event) => (
            <li key={event.slug}>
              <Link to={`/e/${event.slug}`}>{event.title}</Link>{" "}
              <span className="muted">· {format(event.startsAt)}</span>
              {Date.parse(event.endsAt) < now ? (
                <span className="pill lib-past">{t("library.community.past")}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
