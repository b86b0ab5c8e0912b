// The dialogs behind a card's menu (and behind a drop): merge into, move to group, move to
// column, hide with a reason, delete. Each is a keyboard-friendly way to do what drag and drop does.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { BOARD_LIMITS, type GroupId, type IdeaId, type IdeaView } from "@convivio/protocol";
import { Button } from "../ui/Button";
import { useBoard, type BoardDialog } from "./context";
import { Dialog } from "./Dialog";
import { groupsInOrder } from "./model";

export function IdeaDialog({
  dialog,
  onClose,
}: {
  dialog: Exclude<BoardDialog, { kind: "settings" }>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { view } = useBoard();
  const idea = view.ideas[dialog.ideaId];
  if (!idea) {
    // Deleted or merged by someone else while the dialog was open.
    return (
      <Dialog
        title={t("board.dialogs.goneTitle")}
        description={t("board.dialogs.goneBody")}
        onClose={onClose}
        footer={<Button onClick={onClose}>{t("board.common.ok")}</Button>}
      />
    );
  }
  switch (dialog.kind) {
    case "merge":
      return <MergeDialog source={idea} initialTarget={dialog.targetId} onClose={onClose} />;
    case "group":
      return <GroupDialog idea={idea} onClose={onClose} />;
    case "column":
      return <ColumnDialog idea={idea} onClose={onClose} />;
    case "hide":
      return <HideDialog idea={idea} onClose={onClose} />;
    case "delete":
      return <DeleteDialog idea={idea} onClose={onClose} />;
  }
}

function useSubmit(onClose: () => void) {
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<boolean>) => {
    if (busy) return;
    setBusy(true);
    const ok = await action();
    setBusy(false);
    if (ok) onClose();
  };
  return { busy, run };
}

function MergeDialog({
  source,
  initialTarget,
  onClose,
}: {
  source: IdeaView;
  initialTarget: IdeaId | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { view, send } = useBoard();
  const [target, setTarget] = useState<IdeaId | null>(initialTarget ?? null);
  const [filter, setFilter] = useState("");
  const { busy, run } = useSubmit(onClose);
  const filterId = useId();
  const columns = view.meta.settings.columns;
  const columnTitle = (id: string) => columns.find((c) => c.id === id)?.title ?? id;
  const needle = filter.trim().toLowerCase();
  const candidates = Object.values(view.ideas)
    .filter((idea) => idea.id !== source.id && idea.hidden === null)
    .filter((idea) => idea.id === target || needle === "" || idea.text.toLowerCase().includes(needle))
    .sort((a, b) => a.createdAt - b.createdAt);

  return (
    <Dialog
      wide
      title={t("board.merge.title")}
      description={t("board.merge.explain", { cap: view.meta.settings.maxVotesPerIdea })}
      onClose={onClose}
      onSubmit={() =>
        target &&
        void run(async () => (await send({ type: "mergeIdeas", sourceId: source.id, targetId: target })).ok)
      }
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" aria-disabled={target === null} busy={busy}>
            {t("board.merge.submit")}
          </Button>
        </>
      }
    >
      <p className="dialog-quote">
        <span className="muted">{t("board.merge.source")}</span> {source.text}
      </p>
      {!initialTarget ? (
        <div className="field">
          <label className="field-label" htmlFor={filterId}>
            {t("board.merge.filter")}
          </label>
          <input
            id={filterId}
            className="input"
            type="search"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          />
        </div>
      ) : null}
      <fieldset className="pick-list">
        <legend className="field-label">{t("board.merge.target")}</legend>
        {candidates.length === 0 ? <p className="muted">{t("board.merge.noMatch")}</p> : null}
        {candidates.map((idea) => (
          <label key={idea.id} className="pick">
            <input
              type="radio"
              name="merge-target"
              value={idea.id}
              checked={target === idea.id}
              onChange={() => setTarget(idea.id)}
            />
            <span className="pick-text">
              {idea.text}
              {columns.length > 1 ? <span className="pick-meta">{columnTitle(idea.columnId)}</span> : null}
            </span>
          </label>
        ))}
      </fieldset>
    </Dialog>
  );
}

function GroupDialog({ idea, onClose }: { idea: IdeaView; onClose: () => void }) {
  const { t } = useTranslation();
  const { view, send } = useBoard();
  const NEW = "new";
  const [choice, setChoice] = useState<string>(idea.groupId ?? "");
  const [title, setTitle] = useState("");
  const { busy, run } = useSubmit(onClose);
  const titleId = useId();
  const groups = groupsInOrder(view);

  const submit = () =>
    run(async () => {
      let groupId: GroupId | null = choice === "" ? null : (choice as GroupId);
      if (choice === NEW) {
        if (!title.trim()) return false;
        const created = await send({ type: "createGroup", title: title.trim() });
        if (!created.ok || !created.createdId) return false;
        groupId = created.createdId as GroupId;
      }
      if (groupId === idea.groupId) return true;
      return (await send({ type: "setIdeaGroup", ideaId: idea.id, groupId })).ok;
    });

  return (
    <Dialog
      title={t("board.groups.moveTitle")}
      onClose={onClose}
      onSubmit={() => void submit()}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" busy={busy}>
            {t("board.groups.move")}
          </Button>
        </>
      }
    >
      <p className="dialog-quote">{idea.text}</p>
      <fieldset className="pick-list">
        <legend className="field-label">{t("board.groups.choose")}</legend>
        {groups.map((group) => (
          <label key={group.id} className="pick">
            <input
              type="radio"
              name="group"
              value={group.id}
              checked={choice === group.id}
              onChange={() => setChoice(group.id)}
            />
            <span className="pick-text">{group.title}</span>
          </label>
        ))}
        <label className="pick">
          <input type="radio" name="group" value="" checked={choice === ""} onChange={() => setChoice("")} />
          <span className="pick-text">{t("board.groups.none")}</span>
        </label>
        <label className="pick">
          <input
            type="radio"
            name="group"
            value={NEW}
            checked={choice === NEW}
            onChange={() => setChoice(NEW)}
          />
          <span className="pick-text">{t("board.groups.newGroup")}</span>
        </label>
      </fieldset>
      {choice === NEW ? (
        <div className="field">
          <label className="field-label" htmlFor={titleId}>
            {t("board.groups.newLabel")}
          </label>
          <input
            id={titleId}
            className="input"
            value={title}
            maxLength={BOARD_LIMITS.groupTitleMaxLength}
            autoFocus
            onChange={(event) => setTitle(event.target.value)}
          />
        </div>
      ) : null}
    </Dialog>
  );
}

function ColumnDialog({ idea, onClose }: { idea: IdeaView; onClose: () => void }) {
  const { t } = useTranslation();
  const { view, send } = useBoard();
  const [columnId, setColumnId] = useState(idea.columnId);
  const { busy, run } = useSubmit(onClose);
  return (
    <Dialog
      title={t("board.column.moveTitle")}
      onClose={onClose}
      onSubmit={() =>
        void run(async () =>
          columnId === idea.columnId
            ? true
            : (await send({ type: "editIdea", ideaId: idea.id, columnId })).ok,
        )
      }
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" busy={busy}>
            {t("board.column.move")}
          </Button>
        </>
      }
    >
      <p className="dialog-quote">{idea.text}</p>
      <fieldset className="pick-list">
        <legend className="field-label">{t("board.column.choose")}</legend>
        {view.meta.settings.columns.map((column) => (
          <label key={column.id} className="pick">
            <input
              type="radio"
              name="column"
              value={column.id}
              checked={columnId === column.id}
              onChange={() => setColumnId(column.id)}
            />
            <span className="pick-text">{column.title}</span>
          </label>
        ))}
      </fieldset>
    </Dialog>
  );
}

function HideDialog({ idea, onClose }: { idea: IdeaView; onClose: () => void }) {
  const { t } = useTranslation();
  const { send } = useBoard();
  const [reason, setReason] = useState("");
  const [touched, setTouched] = useState(false);
  const { busy, run } = useSubmit(onClose);
  const reasonId = useId();
  const errorId = useId();
  const missing = reason.trim() === "";
  return (
    <Dialog
      title={t("board.moderation.hideTitle")}
      description={t("board.moderation.hideBody")}
      onClose={onClose}
      onSubmit={() => {
        setTouched(true);
        if (!missing)
          void run(async () => (await send({ type: "hideIdea", ideaId: idea.id, reason: reason.trim() })).ok);
      }}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" variant="danger" busy={busy}>
            {t("board.moderation.hide")}
          </Button>
        </>
      }
    >
      <p className="dialog-quote">{idea.text}</p>
      <div className={touched && missing ? "field field-invalid" : "field"}>
        <label className="field-label" htmlFor={reasonId}>
          {t("board.moderation.reason")}
        </label>
        <textarea
          id={reasonId}
          className="input"
          rows={3}
          value={reason}
          maxLength={BOARD_LIMITS.reasonMaxLength}
          aria-invalid={(touched && missing) || undefined}
          aria-describedby={touched && missing ? errorId : undefined}
          autoFocus
          onChange={(event) => setReason(event.target.value)}
        />
        {touched && missing ? (
          <p id={errorId} className="field-error">
            {t("board.moderation.reasonRequired")}
          </p>
        ) : null}
      </div>
    </Dialog>
  );
}

function DeleteDialog({ idea, onClose }: { idea: IdeaView; onClose: () => void }) {
  const { t } = useTranslation();
  const { send } = useBoard();
  const { busy, run } = useSubmit(onClose);
  return (
    <Dialog
      title={t("board.idea.deleteTitle")}
      description={
        idea.mergedCount > 0
          ? t("board.idea.deleteMerged", { count: idea.mergedCount })
          : t("board.idea.deleteBody")
      }
      onClose={onClose}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button
            variant="danger"
            busy={busy}
            onClick={() => void run(async () => (await send({ type: "deleteIdea", ideaId: idea.id })).ok)}
          >
            {t("board.idea.delete")}
          </Button>
        </>
      }
    >
      <p className="dialog-quote">{idea.text}</p>
    </Dialog>
  );
}
