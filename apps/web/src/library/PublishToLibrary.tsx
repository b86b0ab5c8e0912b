// "Publish results to the library" on a board's results, for facilitators: the ranked ideas with
// their votes become a session outcome in one action (the server keeps anonymous authors out);
// publishing again updates that outcome as a new version.
import { useState } from "react";
import { Link } from "react-router";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ITEM_AUDIENCES, type BoardId, type CommunityId, type ItemAudience } from "@convivio/protocol";
import { call } from "../api/client";
import { Dialog } from "../boards/Dialog";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage } from "../ui/message";
import { TargetCommunityField, useEditableCommunities } from "./TargetCommunityField";

/** What publishing did: a new outcome, or the board's earlier one brought up to date. */
interface Published {
  id: string;
  version: number;
  updated: boolean;
}

export function PublishToLibrary({ boardId }: { boardId: BoardId }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [published, setPublished] = useState<Published | null>(null);
  if (published) {
    return (
      <p className="lib-published" role="status">
        {published.updated
          ? t("library.publish.updated", { version: published.version })
          : t("library.publish.done")}{" "}
        <Link to={`/library/items/${published.id}`}>{t("library.publish.open")}</Link>
      </p>
    );
  }
  return (
    <>
      <Button variant="secondary" className="btn-small" onClick={() => setOpen(true)}>
        {t("library.publish.action")}
      </Button>
      {open ? <PublishDialog boardId={boardId} onClose={() => setOpen(false)} onDone={setPublished} /> : null}
    </>
  );
}

function PublishDialog({
  boardId,
  onClose,
  onDone,
}: {
  boardId: BoardId;
  onClose: () => void;
  onDone: (published: Published) => void;
}) {
  const { t } = useTranslation();
  const editable = useEditableCommunities();
  const [communityId, setCommunityId] = useState("");
  const [chosenAudience, setAudience] = useState<ItemAudience>("everyone");
  // A top-level community has no siblings (the server refuses the choice): not offered for one
  // picked here. For the event's own community the server's answer says so if it is one.
  const isTopLevel = editable.find((c) => c.id === communityId)?.parentId === null;
  const audiences = ITEM_AUDIENCES.filter((a) => !(isTopLevel && a === "siblings"));
  const audience: ItemAudience = audiences.includes(chosenAudience) ? chosenAudience : "community";
  const publish = useMutation({
    mutationFn: () =>
      call("publishBoardToLibrary", {
        params: { boardId },
        body: { audience, ...(communityId ? { communityId: communityId as CommunityId } : {}) },
      }),
    onSuccess: ({ item }) => {
      // Publishing a board again updates its outcome (the server keeps one per board and
      // community): an outcome first published earlier than now was updated.
      onDone({ id: item.id, version: item.version, updated: item.publishedAt !== item.updatedAt });
      onClose();
    },
  });
  return (
    <Dialog
      title={t("library.publish.title")}
      description={t("library.publish.intro")}
      onClose={onClose}
      onSubmit={() => publish.mutate()}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" busy={publish.isPending}>
            {t("library.publish.confirm")}
          </Button>
        </>
      }
    >
      {publish.isError ? <FormAlert message={errorMessage(publish.error)} /> : null}
      <TargetCommunityField communities={editable} value={communityId} onChange={setCommunityId} />
      <label className="field">
        <span className="field-label">{t("library.editor.audience")}</span>
        <select
          className="input select"
          value={audience}
          onChange={(e) => setAudience(e.target.value as ItemAudience)}
        >
          {audiences.map((a) => (
            <option key={a} value={a}>
              {t(`library.audience.${a}`)}
            </option>
          ))}
        </select>
      </label>
    </Dialog>
  );
}
