// Small pieces the library pages share: labels as pills, dates, and the query keys.
import { useTranslation } from "react-i18next";
import type { ItemKind, ItemStatus, LibraryItemSummary } from "@convivio/protocol";
import { INTL_LOCALE, isLocale } from "../i18n/i18n";

export const libraryKeys = {
  search: (query: Record<string, unknown>) => ["library", "search", query] as const,
  item: (id: string) => ["library", "item", id] as const,
  versions: (id: string) => ["library", "versions", id] as const,
  tally: (id: string) => ["library", "tally", id] as const,
  communities: ["library", "communities"] as const,
  community: (slug: string) => ["library", "community", slug] as const,
  inbox: (slug: string) => ["library", "inbox", slug] as const,
  follows: ["library", "follows"] as const,
};

export function useFormatDate() {
  const { i18n } = useTranslation();
  const locale = isLocale(i18n.language) ? INTL_LOCALE[i18n.language] : "en-GB";
  return (iso: string | null, withTime = false) =>
    iso
      ? new Intl.DateTimeFormat(locale, {
          dateStyle: "medium",
          ...(withTime ? { timeStyle: "short" } : {}),
        }).format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso))
      : "";
}

export function KindPill({ kind }: { kind: ItemKind }) {
  const { t } = useTranslation();
  return <span className={`pill lib-kind lib-kind-${kind}`}>{t(`library.kind.${kind}`)}</span>;
}

export function StatusPill({ status }: { status: ItemStatus }) {
  const { t } = useTranslation();
  if (status === "published") return null;
  return <span className={`pill lib-status lib-status-${status}`}>{t(`library.status.${status}`)}</span>;
}

/** One line of facts under an item's title. */
export function ItemFacts({ item }: { item: LibraryItemSummary }) {
  const { t } = useTranslation();
  const format = useFormatDate();
  return (
    <p className="list-meta lib-facts">
      <span>{item.community.name}</span>
      {item.territory ? <span>{item.territory}</span> : null}
      {item.author ? <span>{item.author.name}</span> : null}
      <span>{format(item.publishedAt ?? item.updatedAt)}</span>
      {item.usefulCount > 0 ? (
        <span>{t("library.item.usefulCount", { count: item.usefulCount })}</span>
      ) : null}
    </p>
  );
}
