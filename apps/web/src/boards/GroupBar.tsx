import { useId, useState, type DragEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { BOARD_LIMITS, type GroupId, type GroupView } from "@convivio/protocol";
import { Button } from "../ui/Button";
import { useBoard } from "./context";
import { Menu, MoreIcon } from "./Menu";
import { groupsInOrder } from "./model";

/**
 * The groups of the board while facilitators gather ideas: create, rename and delete them, and
 * drop a card on one to put the idea in it (or on "No group" to take it out).
 */
export function GroupBar() {
  const { t } = useTranslation();
  const { view, send } = useBoard();
  const [title, setTitle] = useState("");
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const headingId = useId();
  const groups = groupsInOrder(view);
  const counts = new Map<string, number>();
  for (const idea of Object.values(view.ideas))
    if (idea.groupId) counts.set(idea.groupId, (counts.get(idea.groupId) ?? 0) + 1);

  const create = async () => {
    const trimmed = title.trim();
    if (!trimmed || busy) return;
    setBusy(true);
    const ack = await send({ type: "createGroup", title: trimmed });
    setBusy(false);
    if (ack.ok) setTitle("");
  };

  return (
    <section className="group-bar" aria-labelledby={headingId}>
      <h2 id={headingId} className="group-bar-title">
        {t("board.groups.title")}
      </h2>
      <p className="group-bar-hint">{t("board.groups.hint")}</p>
      <ul className="group-chips">
        {groups.map((group) => (
          <GroupChip key={group.id} group={group} count={counts.get(group.id) ?? 0} />
        ))}
        {groups.length > 0 ? (
          <DropChip groupId={null}>
            <span className="group-chip-title">{t("board.groups.none")}</span>
          </DropChip>
        ) : null}
      </ul>
      <form
        className="group-create"
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <label htmlFor={inputId} className="visually-hidden">
          {t("board.groups.newLabel")}
        </label>
        <input
          id={inputId}
          className="input input-small"
          value={title}
          maxLength={BOARD_LIMITS.groupTitleMaxLength}
          placeholder={t("board.groups.newPlaceholder")}
          onChange={(event) => setTitle(event.target.value)}
        />
        <Button type="submit" variant="secondary" className="btn-small" busy={busy}>
          {t("board.groups.create")}
        </Button>
      </form>
    </section>
  );
}

function DropChip({ groupId, children }: { groupId: GroupId | null; children: ReactNode }) {
  const { view, send, dragging, setDragging } = useBoard();
  const [over, setOver] = useState(false);
  const accepts = dragging !== null && (view.ideas[dragging]?.groupId ?? null) !== groupId;
  const onDrop = (event: DragEvent) => {
    if (!accepts || dragging === null) return;
    event.preventDefault();
    setOver(false);
    setDragging(null);
    void send({ type: "setIdeaGroup", ideaId: dragging, groupId });
  };
  return (
    <li
      className={[
        "group-chip",
        groupId === null ? "group-chip-none" : "",
        accepts ? "is-droppable" : "",
        over && accepts ? "is-drop-target" : "",
      ]
        .filter(Boolean)
        .join(" ")}
      onDragOver={(event) => {
        if (!accepts) return;
        event.preventDefault();
        if (!over) setOver(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={onDrop}
    >
      {children}
    </li>
  );
}

function GroupChip({ group, count }: { group: GroupView; count: number }) {
  const { t } = useTranslation();
  const { send } = useBoard();
  const [renaming, setRenaming] = useState(false);
  const [title, setTitle] = useState(group.title);
  const inputId = useId();

  if (renaming) {
    return (
      <li className="group-chip is-editing">
        <form
          className="group-rename"
          onSubmit={(event) => {
            event.preventDefault();
            const trimmed = title.trim();
            if (!trimmed) return;
            void send({ type: "renameGroup", groupId: group.id, title: trimmed }).then((ack) => {
              if (ack.ok) setRenaming(false);
            });
          }}
          onKeyDown={(event) => {
            if (event.key === "Escape") {
              event.preventDefault();
              setRenaming(false);
            }
          }}
        >
          <label htmlFor={inputId} className="visually-hidden">
            {t("board.groups.renameLabel")}
          </label>
          <input
            id={inputId}
            className="input input-small"
            value={title}
            maxLength={BOARD_LIMITS.groupTitleMaxLength}
            autoFocus
            onChange={(event) => setTitle(event.target.value)}
          />
          <Button type="submit" className="btn-small">
            {t("board.common.save")}
          </Button>
        </form>
      </li>
    );
  }
  return (
    <DropChip groupId={group.id}>
      <span className="group-chip-title">{group.title}</span>
      <span className="group-chip-count">{t("board.groups.ideaCount", { count })}</span>
      <Menu
        className="group-menu"
        label={t("board.groups.actions", { title: group.title })}
        icon={<MoreIcon />}
        items={[
          {
            key: "rename",
            label: t("board.groups.rename"),
            onSelect: () => {
              setTitle(group.title);
              setRenaming(true);
            },
          },
          {
            key: "delete",
            label: t("board.groups.delete"),
            danger: true,
            onSelect: () => void send({ type: "deleteGroup", groupId: group.id }),
          },
        ]}
      />
    </DropChip>
  );
}
