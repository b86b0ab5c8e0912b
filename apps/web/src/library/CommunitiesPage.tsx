// Every community as a tree (national -> regional -> local; thematic ones where they sit), and a
// form to start a new one (a child needs the admin role in its parent, a top-level one a platform
// operator; the server decides, the form offers only what it would accept).
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  COMMUNITY_KINDS,
  type CommunityId,
  type CommunityKind,
  type CommunitySummary,
} from "@convivio/protocol";
import { call } from "../api/client";
import { useMe } from "../auth/session";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage } from "../ui/message";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { libraryKeys } from "./shared";
import "../styles/library.css";

export function CommunitiesPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("library.communities.title"));
  const me = useMe();
  const list = useQuery({
    queryKey: libraryKeys.communities,
    queryFn: ({ signal }) => call("listCommunities", { signal }),
  });
  const [creating, setCreating] = useState(false);
  if (list.isPending) return <PageLoading />;
  if (list.isError)
    return (
      <div className="container page">
        <PageLoadError
          title={t("library.communities.title")}
          error={list.error}
          onRetry={() => void list.refetch()}
        />
      </div>
    );
  const { communities, canCreateTopLevel } = list.data;
  // A community starts at the top (platform operators) or below one the person administers.
  const mayCreate = canCreateTopLevel || communities.some((c) => c.myRole === "admin");
  return (
    <div className="container page lib-page">
      <header className="page-header page-header-actions">
        <div>
          <h1>{t("library.communities.title")}</h1>
          <p className="muted">{t("library.communities.intro")}</p>
        </div>
        {me.data && mayCreate && !creating ? (
          <Button onClick={() => setCreating(true)}>{t("library.communities.new")}</Button>
        ) : null}
      </header>
      {creating ? (
        <CreateCommunity
          communities={communities}
          canCreateTopLevel={canCreateTopLevel}
          onCancel={() => setCreating(false)}
        />
      ) : null}
      {me.data && !mayCreate ? <p className="muted">{t("library.communities.whoCreates")}</p> : null}
      {communities.length === 0 ? (
        <p className="empty-state muted">{t("library.communities.empty")}</p>
      ) : (
        <CommunityTree communities={communities} parentId={null} />
      )}
    </div>
  );
}

export function CommunityTree({
  communities,
  parentId,
}: {
  communities: CommunitySummary[];
  parentId: string | null;
}) {
  const { t } = useTranslation();
  const level = communities.filter((c) => c.parentId === parentId);
  if (level.length === 0) return null;
  return (
    <ul className={parentId === null ? "lib-community-tree" : undefined}>
      {level.map((c) => (
        <li key={c.id}>
          <Link to={`/communities/${c.slug}`}>{c.name}</Link>{" "}
          <span className="muted">· {t(`library.communityKind.${c.kind}`)}</span>
          {c.myRole ? <span className="pill lib-role">{t(`library.role.${c.myRole}`)}</span> : null}
          <CommunityTree communities={communities} parentId={c.id} />
        </li>
      ))}
    </ul>
  );
}

function CreateCommunity({
  communities,
  canCreateTopLevel,
  onCancel,
}: {
  communities: CommunitySummary[];
  canCreateTopLevel: boolean;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const adminOf = communities.filter((c) => c.myRole === "admin");
  const [form, setForm] = useState({
    name: "",
    slug: "",
    kind: "local" as CommunityKind,
    parentId: canCreateTopLevel ? "" : (adminOf[0]?.id ?? ""),
  });
  const slugOf = (name: string) =>
    name
      .toLowerCase()
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60);
  const create = useMutation({
    mutationFn: () =>
      call("createCommunity", {
        body: {
          name: form.name,
          slug: form.slug || slugOf(form.name),
          kind: form.kind,
          parentId: (form.parentId || null) as CommunityId | null,
        },
      }),
    onSuccess: async ({ community }) => {
      await queryClient.invalidateQueries({ queryKey: libraryKeys.communities });
      await navigate(`/communities/${community.slug}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="card stack lib-create-community" onSubmit={submit}>
      <FormAlert message={create.isError ? errorMessage(create.error) : null} />
      <div className="lib-filter-grid">
        <label className="field">
          <span className="field-label">{t("library.communities.name")}</span>
          <input
            className="input"
            required
            value={form.name}
            onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
          />
        </label>
        <label className="field">
          <span className="field-label">{t("library.communities.slug")}</span>
          <input
            className="input"
            value={form.slug}
            placeholder={slugOf(form.name)}
            onChange={(e) => setForm((f) => ({ ...f, slug: e.target.value }))}
          />
        </label>
        <label className="field">
          <span className="field-label">{t("library.communities.kind")}</span>
          <select
            className="input select"
            value={form.kind}
            onChange={(e) => setForm((f) => ({ ...f, kind: e.target.value as CommunityKind }))}
          >
            {COMMUNITY_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`library.communityKind.${kind}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t("library.communities.parent")}</span>
          <select
            className="input select"
            value={form.parentId}
            onChange={(e) => setForm((f) => ({ ...f, parentId: e.target.value }))}
          >
            {canCreateTopLevel ? <option value="">{t("library.communities.noParent")}</option> : null}
            {adminOf.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="lib-editor-actions">
        <Button type="submit" busy={create.isPending}>
          {t("library.communities.create")}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t("common.cancel")}
        </Button>
      </div>
    </form>
  );
}
