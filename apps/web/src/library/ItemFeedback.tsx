// Feedback and files on an item page: the "useful" mark, comments (removed by their author, or by
// an editor of the item's community as moderation, after a second click), and attachments (a PDF
// or an image, uploaded as raw bytes; the server checks size and type by the content).
import { useId, useRef, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  ATTACHMENT_TYPES,
  LIBRARY_LIMITS,
  routes,
  type ItemComment,
  type LibraryItemDetail,
} from "@convivio/protocol";
import { ApiError, buildPath, buildQuery, call } from "../api/client";
import { useMe } from "../auth/session";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage } from "../ui/message";
import { libraryKeys, useFormatDate } from "./shared";

export function UsefulButton({ item }: { item: LibraryItemDetail }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: () =>
      item.usefulByMe
        ? call("unmarkItemUseful", { params: { itemId: item.id } })
        : call("markItemUseful", { params: { itemId: item.id } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: libraryKeys.item(item.id) }),
  });
  if (!me.data)
    return <span className="muted">{t("library.item.usefulCount", { count: item.usefulCount })}</span>;
  return (
    <Button
      variant={item.usefulByMe ? "primary" : "secondary"}
      className="btn-small"
      aria-pressed={item.usefulByMe}
      busy={toggle.isPending}
      onClick={() => toggle.mutate()}
    >
      {t("library.item.useful")} · {item.usefulCount}
    </Button>
  );
}

export function ItemComments({ item }: { item: LibraryItemDetail }) {
  const { t } = useTranslation();
  const me = useMe();
  const format = useFormatDate();
  const headingId = useId();
  const inputId = useId();
  const queryClient = useQueryClient();
  const [body, setBody] = useState("");
  const add = useMutation({
    mutationFn: () => call("addItemComment", { params: { itemId: item.id }, body: { body } }),
    onSuccess: async () => {
      setBody("");
      await queryClient.invalidateQueries({ queryKey: libraryKeys.item(item.id) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (body.trim()) add.mutate();
  };
  // The comment whose removal waits for a second click.
  const [confirming, setConfirming] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (commentId: string) => call("deleteItemComment", { params: { itemId: item.id, commentId } }),
    onSuccess: async () => {
      setConfirming(null);
      await queryClient.invalidateQueries({ queryKey: libraryKeys.item(item.id) });
    },
  });
  const isOwn = (comment: ItemComment) => Boolean(me.data) && comment.author?.id === me.data?.id;
  const mayRemove = (comment: ItemComment) =>
    isOwn(comment) || (Boolean(me.data) && item.canModerateComments);
  return (
    <section className="card lib-comments" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("library.comments.title", { count: item.comments.length })}</h2>
      {item.comments.length === 0 ? <p className="muted">{t("library.comments.empty")}</p> : null}
      <ul className="lib-comment-list">
        {item.comments.map((comment) => (
          <li key={comment.id}>
            <p className="lib-comment-meta">
              <strong>{comment.author?.name ?? t("library.comments.someone")}</strong>{" "}
              <span className="muted">{format(comment.createdAt, true)}</span>
            </p>
            <p className="lib-comment-body">{comment.body}</p>
            {mayRemove(comment) ? (
              confirming === comment.id ? (
                <div className="lib-comment-confirm" role="group" aria-label={t("library.comments.remove")}>
                  <span>
                    {isOwn(comment)
                      ? t("library.comments.confirmOwn")
                      : t("library.comments.confirmModerate", {
                          name: comment.author?.name ?? t("library.comments.someone"),
                        })}
                  </span>
                  <Button
                    variant="danger"
                    className="btn-small"
                    busy={remove.isPending}
                    onClick={() => remove.mutate(comment.id)}
                  >
                    {t("library.comments.remove")}
                  </Button>
                  <Button variant="ghost" className="btn-small" onClick={() => setConfirming(null)}>
                    {t("common.cancel")}
                  </Button>
                </div>
              ) : (
                <button
                  type="button"
                  className="btn btn-ghost btn-small lib-comment-remove"
                  onClick={() => {
                    remove.reset();
                    setConfirming(comment.id);
                  }}
                  aria-label={t("library.comments.removeOf", {
                    name: comment.author?.name ?? t("library.comments.someone"),
                  })}
                >
                  {t("library.comments.remove")}
                </button>
              )
            ) : null}
            {confirming === comment.id && remove.isError ? (
              <FormAlert message={errorMessage(remove.error)} />
            ) : null}
          </li>
        ))}
      </ul>
      {me.data ? (
        <form onSubmit={submit} className="stack">
          {add.isError ? <FormAlert message={errorMessage(add.error)} /> : null}
          <label className="field-label" htmlFor={inputId}>
            {t("library.comments.label")}
          </label>
          <textarea
            id={inputId}
            className="input"
            rows={3}
            maxLength={LIBRARY_LIMITS.commentMaxLength}
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
          <div>
            <Button type="submit" className="btn-small" busy={add.isPending}>
              {t("library.comments.submit")}
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

async function uploadAttachment(itemId: string, file: File, failed: string) {
  const spec = routes.uploadItemAttachment;
  const response = await fetch(buildPath(spec.path, { itemId }) + buildQuery({ filename: file.name }), {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": file.type || "application/octet-stream", Accept: "application/json" },
    body: file,
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { code?: string; title?: string };
    // A proxy in front may refuse a large file with a body of its own: the status still says why.
    const byStatus: Record<number, ApiError["code"]> = {
      401: "unauthenticated",
      413: "payload_too_large",
      415: "unsupported_media_type",
    };
    throw new ApiError({
      status: response.status,
      code: (problem.code ?? byStatus[response.status] ?? "bad_request") as ApiError["code"],
      title: problem.title ?? failed,
    });
  }
}

export function ItemAttachments({ item }: { item: LibraryItemDetail }) {
  const { t } = useTranslation();
  const headingId = useId();
  const inputId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const queryClient = useQueryClient();
  const upload = useMutation({
    mutationFn: (file: File) => uploadAttachment(item.id, file, t("library.attachments.failed")),
    onSuccess: async () => {
      if (fileRef.current) fileRef.current.value = "";
      await queryClient.invalidateQueries({ queryKey: libraryKeys.item(item.id) });
    },
  });
  const remove = useMutation({
    mutationFn: (attachmentId: string) =>
      call("deleteItemAttachment", { params: { itemId: item.id, attachmentId } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: libraryKeys.item(item.id) }),
  });
  if (item.attachments.length === 0 && !item.canEdit) return null;
  return (
    <section className="lib-attachments" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("library.attachments.title")}</h2>
      <ul className="lib-attachment-list">
        {item.attachments.map((a) => (
          <li key={a.id}>
            <a href={a.url} target="_blank" rel="noopener">
              {a.filename}
            </a>{" "}
            <span className="muted">({Math.max(1, Math.round(a.sizeBytes / 1024))} KB)</span>
            {item.canEdit ? (
              <button
                type="button"
                className="btn btn-ghost btn-small"
                onClick={() => remove.mutate(a.id)}
                aria-label={t("library.attachments.remove", { name: a.filename })}
              >
                ×
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {item.canEdit ? (
        <div className="lib-upload">
          <label className="field-label" htmlFor={inputId}>
            {t("library.attachments.add")}
          </label>
          <p className="field-hint">
            {t("library.attachments.hint", { mb: LIBRARY_LIMITS.attachmentMaxBytes / 2 ** 20 })}
          </p>
          <input
            id={inputId}
            ref={fileRef}
            type="file"
            accept={ATTACHMENT_TYPES.join(",")}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) upload.mutate(file);
            }}
          />
          {upload.isError ? <FormAlert message={errorMessage(upload.error)} /> : null}
        </div>
      ) : null}
    </section>
  );
}
