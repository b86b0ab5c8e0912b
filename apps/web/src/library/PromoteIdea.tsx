// "To the library" on one idea of a board's results, for facilitators: the idea becomes a draft
// item (an act, a practice or a resource) in the event's community or one they edit, with where it
// came from; the community's editors then complete and publish it.
import { useId, useState } from "react";
import { Link } from "react-router";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { BoardId, CommunityId, IdeaId } from "@convivio/protocol";
import { call } from "../api/client";
import { Dialog } from "../boards/Dialog";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage } from "../ui/message";
import { TargetCommunityField, useEditableCommunities } from "./TargetCommunityField";
import "../styles/library.css";

const KINDS = ["practice", "act", "resource"] as const;
type PromotedKind = (typeof KINDS)[number];

export function PromoteIdea({ boardId, ideaId, text }: { boardId: BoardId; ideaId: IdeaId; text: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [draftId, setDraftId] = useState<string | null>(null);
  if (draftId) {
    return (
      <p className="lib-promoted" role="status">
        {t("library.promote.done")} <Link to={`/library/items/${draftId}`}>{t("library.publish.open")}</Link>
      </p>
    );
  }
  return (
    <>
      <button
        type="button"
        className="btn btn-ghost btn-small lib-promote"
        aria-label={t("library.promote.label", { idea: text })}
        onClick={() => setOpen(true)}
      >
        {t("library.promote.action")}
      </button>
      {open ? (
        <PromoteDialog
          boardId={boardId}
          ideaId={ideaId}
          text={text}
          onClose={() => setOpen(false)}
          onDone={setDraftId}
        />
      ) : null}
    </>
  );
}

function PromoteDialog({
  boardId,
  ideaId,
  text,
  onClose,
  onDone,
}: {
  boardId: BoardId;
  ideaId: IdeaId;
  text: string;
  onClose: () => void;
  onDone: (id: string) => void;
}) {
  const { t } = useTranslation();
  const kindId = useId();
  const editable = useEditableCommunities();
  const [communityId, setCommunityId] = useState("");
  const [kind, setKind] = useState<PromotedKind>("practice");
  const promote = useMutation({
    mutationFn: () =>
      call("promoteIdeaToLibrary", {
        params: { boardId, ideaId },
        body: { kind, ...(communityId ? { communityId: communityId as CommunityId } : {}) },
      }),
    onSuccess: ({ item }) => {
      onDone(item.id);
      onClose();
    },
  });
  return (
    <Dialog
      title={t("library.promote.title")}
      description={t("library.promote.intro", { idea: text })}
      onClose={onClose}
      onSubmit={() => promote.mutate()}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" busy={promote.isPending}>
            {t("library.promote.confirm")}
          </Button>
        </>
      }
    >
      {promote.isError ? <FormAlert message={errorMessage(promote.error)} /> : null}
      <label className="field">
        <span className="field-label" id={kindId}>
          {t("library.editor.kind")}
        </span>
        <select
          className="input select"
          aria-labelledby={kindId}
          value={kind}
          onChange={(e) => setKind(e.target.value as PromotedKind)}
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`library.kind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <TargetCommunityField communities={editable} value={communityId} onChange={setCommunityId} />
    </Dialog>
  );
}
