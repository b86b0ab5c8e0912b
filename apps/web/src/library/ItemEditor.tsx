// Writing an item: a new one in one of the person's communities, or an edit of an existing one
// (every change of text becomes a version). Publishing needs the editor role; members save drafts.
import { useState, type FormEvent } from "react";
import { useNavigate, useParams } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  ITEM_AUDIENCES,
  ITEM_KINDS,
  LIBRARY_LIMITS,
  type CommunityId,
  type ItemAudience,
  type ItemKind,
  type ItemStatus,
  type LibraryItemDetail,
} from "@convivio/protocol";
import { call } from "../api/client";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage } from "../ui/message";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { libraryKeys } from "./shared";
import "../styles/library.css";

export function NewItemPage() {
  return <ItemEditor item={null} />;
}

export function EditItemPage() {
  const { t } = useTranslation();
  const { itemId = "" } = useParams();
  const item = useQuery({
    queryKey: libraryKeys.item(itemId),
    queryFn: ({ signal }) => call("getLibraryItem", { params: { itemId }, signal }),
  });
  if (item.isPending) return <PageLoading />;
  if (item.isError)
    return (
      <div className="container page">
        <PageLoadError
          title={t("library.item.loadError")}
          error={item.error}
          onRetry={() => void item.refetch()}
        />
      </div>
    );
  return <ItemEditor item={item.data.item} />;
}

function ItemEditor({ item }: { item: LibraryItemDetail | null }) {
  const { t } = useTranslation();
  useDocumentTitle(item ? t("library.editor.editTitle") : t("library.editor.newTitle"));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const communities = useQuery({
    queryKey: libraryKeys.communities,
    queryFn: ({ signal }) => call("listCommunities", { signal }),
  });
  const mine = (communities.data?.communities ?? []).filter((c) => c.myRole !== null);
  const [form, setForm] = useState({
    communityId: item?.community.id ?? "",
    kind: item?.kind ?? ("act" as ItemKind),
    title: item?.title ?? "",
    summary: item?.summary ?? "",
    body: item?.body ?? "",
    tags: item?.tags.join(", ") ?? "",
    territory: item?.territory ?? "",
    language: item?.language ?? "it",
    audience: item?.audience ?? ("community" as ItemAudience),
  });
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const communityId = form.communityId || mine[0]?.id || "";
  const role = mine.find((c) => c.id === (item ? item.community.id : communityId))?.myRole ?? null;
  const canPublish = role === "editor" || role === "admin";
  // Communities are siblings when they share a parent: a top-level one has none, and the server
  // refuses "siblings" for its items, so the choice is not offered there.
  const isTopLevel =
    (communities.data?.communities ?? []).find((c) => c.id === (item ? item.community.id : communityId))
      ?.parentId === null;
  const audiences = ITEM_AUDIENCES.filter((a) => !(isTopLevel && a === "siblings"));
  const audience: ItemAudience = audiences.includes(form.audience) ? form.audience : "community";
  const tags = form.tags
    .split(",")
    .map((tag) => tag.trim().toLowerCase())
    .filter(Boolean);

  const save = useMutation({
    mutationFn: (status: ItemStatus | undefined) => {
      const fields = {
        kind: form.kind,
        title: form.title,
        summary: form.summary,
        body: form.body,
        tags,
        territory: form.territory.trim() || null,
        language: form.language as "it" | "en",
        audience,
      };
      return item
        ? call("updateLibraryItem", {
            params: { itemId: item.id },
            body: { ...fields, ...(status ? { status } : {}) },
          })
        : call("createLibraryItem", {
            body: {
              ...fields,
              communityId: communityId as CommunityId,
              status: status === "published" ? "published" : "draft",
            },
          });
    },
    onSuccess: async ({ item: saved }) => {
      queryClient.setQueryData(libraryKeys.item(saved.id), { item: saved });
      await queryClient.invalidateQueries({ queryKey: libraryKeys.versions(saved.id) });
      await navigate(`/library/items/${saved.id}`);
    },
  });
  const submit = (status: ItemStatus | undefined) => (event?: FormEvent) => {
    event?.preventDefault();
    save.mutate(status);
  };

  if (communities.isPending) return <PageLoading />;
  if (!item && mine.length === 0) {
    return (
      <div className="container page">
        <h1>{t("library.editor.newTitle")}</h1>
        <p className="muted">{t("library.editor.noCommunity")}</p>
      </div>
    );
  }

  return (
    <div className="container page lib-page lib-editor">
      <header className="page-header">
        <h1>{item ? t("library.editor.editTitle") : t("library.editor.newTitle")}</h1>
      </header>
      <form className="card stack" onSubmit={submit(item ? undefined : "draft")}>
        <FormAlert message={save.isError ? errorMessage(save.error) : null} />
        {!item ? (
          <label className="field">
            <span className="field-label">{t("library.editor.community")}</span>
            <select
              className="input select"
              value={communityId}
              onChange={(e) => set("communityId", e.target.value)}
            >
              {mine.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <div className="lib-filter-grid">
          <label className="field">
            <span className="field-label">{t("library.editor.kind")}</span>
            <select
              className="input select"
              value={form.kind}
              onChange={(e) => set("kind", e.target.value as ItemKind)}
            >
              {ITEM_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`library.kind.${kind}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">{t("library.editor.language")}</span>
            <select
              className="input select"
              value={form.language}
              onChange={(e) => set("language", e.target.value as "it" | "en")}
            >
              <option value="it">Italiano</option>
              <option value="en">English</option>
            </select>
          </label>
          <label className="field">
            <span className="field-label">{t("library.editor.audience")}</span>
            <select
              className="input select"
              value={audience}
              onChange={(e) => set("audience", e.target.value as ItemAudience)}
            >
              {audiences.map((option) => (
                <option key={option} value={option}>
                  {t(`library.audience.${option}`)}
                </option>
              ))}
            </select>
            {isTopLevel ? <span className="field-hint">{t("library.editor.noSiblingsAtTop")}</span> : null}
          </label>
        </div>
        <label className="field">
          <span className="field-label">{t("library.editor.title")}</span>
          <input
            className="input"
            required
            maxLength={LIBRARY_LIMITS.titleMaxLength}
            value={form.title}
            onChange={(e) => set("title", e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">{t("library.editor.summary")}</span>
          <textarea
            className="input"
            rows={2}
            maxLength={LIBRARY_LIMITS.summaryMaxLength}
            value={form.summary}
            onChange={(e) => set("summary", e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">{t("library.editor.body")}</span>
          <span className="field-hint">{t("library.editor.bodyHint")}</span>
          <textarea
            className="input lib-body-input"
            rows={14}
            maxLength={LIBRARY_LIMITS.bodyMaxLength}
            value={form.body}
            onChange={(e) => set("body", e.target.value)}
          />
        </label>
        <div className="lib-filter-grid">
          <label className="field">
            <span className="field-label">{t("library.editor.tags")}</span>
            <span className="field-hint">{t("library.editor.tagsHint")}</span>
            <input className="input" value={form.tags} onChange={(e) => set("tags", e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">{t("library.editor.territory")}</span>
            <span className="field-hint">{t("library.editor.territoryHint")}</span>
            <input
              className="input"
              value={form.territory}
              onChange={(e) => set("territory", e.target.value)}
            />
          </label>
        </div>
        <div className="lib-editor-actions">
          <Button type="submit" variant="secondary" busy={save.isPending}>
            {item ? t("library.editor.save") : t("library.editor.saveDraft")}
          </Button>
          {canPublish && item?.status !== "published" ? (
            <Button busy={save.isPending} onClick={() => submit("published")()}>
              {t("library.editor.publish")}
            </Button>
          ) : null}
          {canPublish && item?.status === "published" ? (
            <Button variant="danger" busy={save.isPending} onClick={() => submit("withdrawn")()}>
              {t("library.editor.withdraw")}
            </Button>
          ) : null}
          {!canPublish ? <p className="muted">{t("library.editor.draftOnly")}</p> : null}
        </div>
      </form>
    </div>
  );
}
