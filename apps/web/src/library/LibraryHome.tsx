// The library's front page: full-text search with filters (kind, tag, territory, community,
// dates), sorted by relevance or date, a page at a time. The query lives in the URL, so a search
// can be shared and the back button works.
import { useId, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ITEM_KINDS, type ItemKind, type LibrarySearchQuery } from "@convivio/protocol";
import { call } from "../api/client";
import { useMe } from "../auth/session";
import { PageLoadError } from "../shell/PageState";
import { Spinner } from "../ui/Spinner";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { FollowButton } from "./FollowButton";
import { ItemFacts, KindPill, StatusPill, libraryKeys } from "./shared";
import "../styles/library.css";

const FILTERS = ["q", "kind", "tag", "territory", "community", "from", "to", "sort", "page"] as const;

export function LibraryHome() {
  const { t } = useTranslation();
  useDocumentTitle(t("library.home.title"));
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const query: Record<string, string> = {};
  for (const key of FILTERS) {
    const value = params.get(key);
    if (value) query[key] = value;
  }
  const results = useQuery({
    queryKey: libraryKeys.search(query),
    queryFn: ({ signal }) => call("searchLibrary", { query: query as LibrarySearchQuery, signal }),
    placeholderData: keepPreviousData,
  });
  const communities = useQuery({
    queryKey: libraryKeys.communities,
    queryFn: ({ signal }) => call("listCommunities", { signal }),
  });

  const apply = (next: Record<string, string>) => {
    const merged = { ...query, ...next };
    if (!("page" in next)) delete merged.page;
    setParams(Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== "")));
  };

  const data = results.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const page = Number(query.page ?? 1);

  return (
    <div className="container page lib-page">
      <header className="page-header page-header-actions">
        <div>
          <h1>{t("library.home.title")}</h1>
          <p className="muted">{t("library.home.intro")}</p>
        </div>
        <div className="lib-header-actions">
          <Link to="/communities" className="btn btn-secondary">
            {t("library.nav.communities")}
          </Link>
          {me.data ? (
            <>
              <Link to="/library/following" className="btn btn-secondary">
                {t("library.following.link")}
              </Link>
              <Link to="/library/new" className="btn btn-primary">
                {t("library.home.new")}
              </Link>
            </>
          ) : null}
        </div>
      </header>

      <SearchForm initial={query} onSearch={apply} communities={communities.data?.communities ?? []} />

      {results.isError ? (
        <PageLoadError
          title={t("library.home.loadError")}
          error={results.error}
          onRetry={() => void results.refetch()}
        />
      ) : !data ? (
        <div className="page-loading" role="status">
          <Spinner size="1.5rem" />
          <span>{t("common.loading")}</span>
        </div>
      ) : (
        <section aria-labelledby="lib-results-heading" aria-busy={results.isFetching}>
          <div className="lib-results-head">
            <h2 id="lib-results-heading" className="lib-results-count">
              {t("library.home.results", { count: data.total })}
            </h2>
            {query.tag ? (
              <FollowButton target={{ kind: "tag", target: query.tag }} className="btn-small" />
            ) : null}
          </div>
          {data.items.length === 0 ? (
            <p className="empty-state muted">{t("library.home.empty")}</p>
          ) : (
            <ol className="lib-results">
              {data.items.map((item) => (
                <li key={item.id} className="lib-result">
                  <div className="lib-result-head">
                    <KindPill kind={item.kind} />
                    <StatusPill status={item.status} />
                    <Link to={`/library/items/${item.id}`} className="lib-result-title">
                      {item.title}
                    </Link>
                  </div>
                  {item.snippet ? (
                    // The server escapes the text and adds only <mark> (library/search.ts safeSnippet).
                    <p className="lib-snippet" dangerouslySetInnerHTML={{ __html: item.snippet }} />
                  ) : item.summary ? (
                    <p className="lib-snippet">{item.summary}</p>
                  ) : null}
                  <ItemFacts item={item} />
                  {item.tags.length ? (
                    <ul className="chip-list" aria-label={t("library.item.tags")}>
                      {item.tags.map((tag) => (
                        <li key={tag}>
                          <button type="button" className="chip lib-tag" onClick={() => apply({ tag })}>
                            #{tag}
                          </button>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
          {pages > 1 ? (
            <nav className="lib-pager" aria-label={t("library.home.pages")}>
              <button
                type="button"
                className="btn btn-secondary btn-small"
                disabled={page <= 1}
                onClick={() => apply({ page: String(page - 1) })}
              >
                {t("library.home.previous")}
              </button>
              <span>{t("library.home.pageOf", { page, pages })}</span>
              <button
                type="button"
                className="btn btn-secondary btn-small"
                disabled={page >= pages}
                onClick={() => apply({ page: String(page + 1) })}
              >
                {t("library.home.next")}
              </button>
            </nav>
          ) : null}
        </section>
      )}
    </div>
  );
}

function SearchForm({
  initial,
  onSearch,
  communities,
}: {
  initial: Record<string, string>;
  onSearch: (next: Record<string, string>) => void;
  communities: { slug: string; name: string }[];
}) {
  const { t } = useTranslation();
  const id = useId();
  const [form, setForm] = useState({
    q: initial.q ?? "",
    kind: initial.kind ?? "",
    tag: initial.tag ?? "",
    territory: initial.territory ?? "",
    community: initial.community ?? "",
    from: initial.from ?? "",
    to: initial.to ?? "",
    sort: initial.sort ?? "relevance",
  });
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(form);
  };
  return (
    <form className="card lib-search" role="search" onSubmit={submit}>
      <div className="lib-search-main">
        <label className="visually-hidden" htmlFor={`${id}-q`}>
          {t("library.search.label")}
        </label>
        <input
          id={`${id}-q`}
          className="input"
          type="search"
          value={form.q}
          placeholder={t("library.search.placeholder")}
          onChange={(e) => set("q")(e.target.value)}
        />
        <button type="submit" className="btn btn-primary">
          {t("library.search.submit")}
        </button>
      </div>
      <details
        className="lib-filters"
        open={Boolean(
          initial.kind || initial.tag || initial.territory || initial.community || initial.from || initial.to,
        )}
      >
        <summary>{t("library.search.filters")}</summary>
        <div className="lib-filter-grid">
          <label className="field">
            <span className="field-label">{t("library.search.kind")}</span>
            <select className="input select" value={form.kind} onChange={(e) => set("kind")(e.target.value)}>
              <option value="">{t("library.search.any")}</option>
              {ITEM_KINDS.map((kind: ItemKind) => (
                <option key={kind} value={kind}>
                  {t(`library.kind.${kind}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">{t("library.search.tag")}</span>
            <input className="input" value={form.tag} onChange={(e) => set("tag")(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">{t("library.search.territory")}</span>
            <input
              className="input"
              value={form.territory}
              onChange={(e) => set("territory")(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">{t("library.search.community")}</span>
            <select
              className="input select"
              value={form.community}
              onChange={(e) => set("community")(e.target.value)}
            >
              <option value="">{t("library.search.any")}</option>
              {communities.map((c) => (
                <option key={c.slug} value={c.slug}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">{t("library.search.from")}</span>
            <input
              className="input"
              type="date"
              value={form.from}
              onChange={(e) => set("from")(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">{t("library.search.to")}</span>
            <input
              className="input"
              type="date"
              value={form.to}
              onChange={(e) => set("to")(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">{t("library.search.sort")}</span>
            <select className="input select" value={form.sort} onChange={(e) => set("sort")(e.target.value)}>
              <option value="relevance">{t("library.search.relevance")}</option>
              <option value="date">{t("library.search.date")}</option>
            </select>
          </label>
        </div>
      </details>
    </form>
  );
}
