// One library item: its text, where it came from and the tree of adaptations below it, its attachments, what
// changed between versions, comments and "useful" marks; for the editors of its community, the
// send-down dialog and the live tally of what the receiving communities did with it.
import { Link, useParams } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { AdaptationNode, LibraryItemDetail } from "@convivio/protocol";
import { call, isApiError } from "../api/client";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { FollowButton } from "./FollowButton";
import { ItemAttachments, ItemComments, UsefulButton } from "./ItemFeedback";
import { ItemHistory } from "./ItemHistory";
import { ItemSharing } from "./ItemSharing";
import { ItemFacts, KindPill, StatusPill, libraryKeys } from "./shared";
import "../styles/library.css";

export function ItemPage() {
  const { t } = useTranslation();
  const { itemId = "" } = useParams();
  const item = useQuery({
    queryKey: libraryKeys.item(itemId),
    queryFn: ({ signal }) => call("getLibraryItem", { params: { itemId }, signal }),
    retry: (count, error) => !isApiError(error, "not_found", "validation_failed") && count < 2,
  });
  useDocumentTitle(item.data?.item.title ?? t("library.home.title"));
  if (item.isPending) return <PageLoading />;
  if (item.isError) {
    return (
      <div className="container page">
        <PageLoadError
          title={t("library.item.loadError")}
          error={item.error}
          onRetry={() => void item.refetch()}
        />
      </div>
    );
  }
  const data: LibraryItemDetail = item.data.item;
  return (
    <div className="container page lib-page">
      <Link to="/library" className="back-link">
        ← {t("library.home.title")}
      </Link>
      <article className="lib-item" aria-labelledby="lib-item-title">
        <header className="lib-item-header">
          <div className="lib-pills">
            <KindPill kind={data.kind} />
            <StatusPill status={data.status} />
            <span className="pill">{t(`library.audience.${data.audience}`)}</span>
          </div>
          <h1 id="lib-item-title">{data.title}</h1>
          <ItemFacts item={data} />
          {data.summary ? <p className="lede">{data.summary}</p> : null}
          <div className="lib-item-actions">
            <UsefulButton item={data} />
            {data.canEdit ? (
              <Link to={`/library/items/${data.id}/edit`} className="btn btn-secondary btn-small">
                {t("library.item.edit")}
              </Link>
            ) : null}
          </div>
        </header>

        {data.origins.length ? (
          <p className="callout lib-provenance">
            {t("library.item.adaptedFrom")}{" "}
            {data.origins.map((origin, index) => (
              <span key={origin.id}>
                {index > 0 ? " ← " : ""}
                <Link to={`/library/items/${origin.id}`}>{origin.title}</Link> ({origin.community.name})
              </span>
            ))}
          </p>
        ) : null}

        {/* Rendered from Markdown and sanitized on the server (events/markdown.ts). */}
        <div className="event-description lib-body" dangerouslySetInnerHTML={{ __html: data.bodyHtml }} />

        {data.tags.length ? (
          <div className="lib-tags">
            <ul className="chip-list" aria-label={t("library.item.tags")}>
              {data.tags.map((tag) => (
                <li key={tag}>
                  <Link className="chip lib-tag" to={`/library?tag=${encodeURIComponent(tag)}`}>
                    #{tag}
                  </Link>
                </li>
              ))}
            </ul>
            <div className="lib-tag-follows">
              {data.tags.map((tag) => (
                <FollowButton key={tag} target={{ kind: "tag", target: tag }} className="btn-small" />
              ))}
            </div>
          </div>
        ) : null}

        <ItemAttachments item={data} />

        <section className="card lib-family" aria-labelledby="lib-family-heading">
          <h2 id="lib-family-heading">{t("library.item.family")}</h2>
          <FamilyTree item={data} />
        </section>

        {data.canSendDown ? <ItemSharing item={data} /> : null}
        <ItemHistory itemId={data.id} />
        <ItemComments item={data} />
      </article>
    </div>
  );
}

/**
 * Where the item came from (up the chain) and the tree of adaptations below it, copies of copies
 * included (national -> regional -> local), as far as the reader may see; the others are counted.
 */
function FamilyTree({ item }: { item: LibraryItemDetail }) {
  const { t } = useTranslation();
  const chain = [...item.origins].reverse();
  const below = new Map<string, AdaptationNode[]>();
  for (const node of item.adaptations) below.set(node.parentId, [...(below.get(node.parentId) ?? []), node]);
  return (
    <>
      <ol className="lib-tree">
        {chain.map((origin) => (
          <li key={origin.id}>
            <Link to={`/library/items/${origin.id}`}>{origin.title}</Link>
            <span className="muted"> · {origin.community.name}</span>
          </li>
        ))}
        <li aria-current="page">
          <strong>{item.title}</strong>
          <span className="muted"> · {item.community.name}</span>
          {item.adaptations.length ? (
            <Adaptations parentId={item.id} parentDepth={0} below={below} />
          ) : item.hiddenAdaptations === 0 ? (
            <p className="muted">{t("library.item.noAdaptations")}</p>
          ) : null}
        </li>
      </ol>
      {item.hiddenAdaptations > 0 ? (
        <p className="muted lib-tree-note">
          {t("library.item.hiddenAdaptations", { count: item.hiddenAdaptations })}
        </p>
      ) : null}
      {item.adaptationsTruncated ? (
        <p className="muted lib-tree-note">{t("library.item.moreAdaptations")}</p>
      ) : null}
    </>
  );
}

/** The adaptations shown under one item of the tree, each with its own below it. */
function Adaptations({
  parentId,
  parentDepth,
  below,
}: {
  parentId: string;
  parentDepth: number;
  below: ReadonlyMap<string, AdaptationNode[]>;
}) {
  const { t } = useTranslation();
  const nodes = below.get(parentId) ?? [];
  if (nodes.length === 0) return null;
  return (
    <ul aria-label={parentDepth === 0 ? t("library.item.adaptations") : undefined}>
      {nodes.map((child) => (
        <li key={child.id}>
          <Link to={`/library/items/${child.id}`}>{child.title}</Link>
          <span className="muted"> · {child.community.name}</span>
          {child.status !== "published" ? (
            <span className="pill lib-status"> {t(`library.status.${child.status}`)}</span>
          ) : null}
          {/* Shown under its nearest origin the reader may see: the one between is not shown. */}
          {child.depth > parentDepth + 1 ? (
            <span className="muted lib-tree-via"> ({t("library.item.viaHidden")})</span>
          ) : null}
          <Adaptations parentId={child.id} parentDepth={child.depth} below={below} />
        </li>
      ))}
    </ul>
  );
}
