import { useId, useRef, useState, type DragEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { BOARD_LIMITS, type BoardColumn, type GroupId, type IdeaId } from "@convivio/protocol";
import { Button } from "../ui/Button";
import { useBoard } from "./context";
import { IdeaCard } from "./IdeaCard";
import { canEditIdea, columnSections, countIdeasInColumn, rankedIdeas } from "./model";

/**
 * The board's columns side by side. On a phone they scroll sideways one at a time, with a row of
 * buttons above to jump between them and to show which one is in view.
 */
export function Columns() {
  const { t } = useTranslation();
  const { view } = useBoard();
  const columns = view.meta.settings.columns;
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);

  const columnElements = () => Array.from(scroller.current?.children ?? []) as HTMLElement[];
  const onScroll = () => {
    const container = scroller.current;
    if (!container) return;
    const left = container.getBoundingClientRect().left;
    let nearest = 0;
    let distance = Infinity;
    columnElements().forEach((element, index) => {
      const d = Math.abs(element.getBoundingClientRect().left - left);
      if (d < distance) {
        distance = d;
        nearest = index;
      }
    });
    if (nearest !== active) setActive(nearest);
  };

  return (
    <>
      {columns.length > 1 ? (
        <nav className="column-nav segmented" aria-label={t("board.column.navLabel")}>
          {columns.map((column, index) => (
            <button
              key={column.id}
              type="button"
              aria-current={index === active ? "true" : undefined}
              onClick={() =>
                columnElements()[index]?.scrollIntoView({
                  behavior: "smooth",
                  block: "nearest",
                  inline: "start",
                })
              }
            >
              {column.title}
              <span className="column-nav-count">{countIdeasInColumn(view, column.id)}</span>
            </button>
          ))}
        </nav>
      ) : null}
      <div
        ref={scroller}
        className={columns.length === 1 ? "board-columns is-single" : "board-columns"}
        onScroll={columns.length > 1 ? onScroll : undefined}
      >
        {columns.map((column) => (
          <Column key={column.id} column={column} />
        ))}
      </div>
    </>
  );
}

function Column({ column }: { column: BoardColumn }) {
  const { t } = useTranslation();
  const { view, role, abilities, send, dragging, setDragging } = useBoard();
  const titleId = useId();
  const [dropping, setDropping] = useState(false);
  const sections = columnSections(view, column.id);
  const count = countIdeasInColumn(view, column.id);
  const ranks = new Map((rankedIdeas(view, column.id) ?? []).map((entry) => [entry.idea.id, entry.rank]));
  const showRanks = view.meta.phase === "reveal" || view.meta.phase === "closed";

  const dragged = dragging ? view.ideas[dragging] : undefined;
  const accepts = dragged !== undefined && dragged.columnId !== column.id && canEditIdea(view, role, dragged);

  const onDragOver = (event: DragEvent) => {
    if (!accepts) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!dropping) setDropping(true);
  };
  const onDrop = (event: DragEvent) => {
    if (!accepts || !dragged) return;
    event.preventDefault();
    setDropping(false);
    setDragging(null);
    void send({ type: "editIdea", ideaId: dragged.id, columnId: column.id });
  };

  return (
    <section
      className={dropping && accepts ? "board-column is-drop-target" : "board-column"}
      aria-labelledby={titleId}
      onDragOver={onDragOver}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropping(false);
      }}
      onDrop={onDrop}
    >
      <header className="column-header">
        <h2 id={titleId} className="column-title">
          {column.title}
          <span className="column-count">{t("board.column.ideaCount", { count })}</span>
        </h2>
        {column.prompt ? <p className="column-prompt">{column.prompt}</p> : null}
      </header>
      {abilities.propose ? <Composer columnId={column.id} columnTitle={column.title} /> : null}
      {count === 0 ? <p className="column-empty">{t("board.column.empty")}</p> : null}
      {sections.map((section) =>
        section.group ? (
          <GroupSection key={section.group.id} groupId={section.group.id} title={section.group.title}>
            {section.ideas.map((idea) => (
              <li key={idea.id}>
                <IdeaCard idea={idea} rank={showRanks ? ranks.get(idea.id) : undefined} />
              </li>
            ))}
          </GroupSection>
        ) : section.ideas.length > 0 ? (
          <ul key="loose" className="idea-list">
            {section.ideas.map((idea) => (
              <li key={idea.id}>
                <IdeaCard idea={idea} rank={showRanks ? ranks.get(idea.id) : undefined} />
              </li>
            ))}
          </ul>
        ) : null,
      )}
    </section>
  );
}

/** A group's ideas within a column; dropping a card here puts it in the group. */
function GroupSection({
  groupId,
  title,
  children,
}: {
  groupId: GroupId;
  title: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { view, abilities, send, dragging, setDragging } = useBoard();
  const [dropping, setDropping] = useState(false);
  const headingId = useId();
  const accepts = abilities.group && dragging !== null && view.ideas[dragging]?.groupId !== groupId;
  return (
    <section
      className={dropping && accepts ? "idea-group is-drop-target" : "idea-group"}
      aria-labelledby={headingId}
      onDragOver={(event) => {
        if (!accepts) return;
        event.preventDefault();
        event.stopPropagation();
        if (!dropping) setDropping(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropping(false);
      }}
      onDrop={(event) => {
        if (!accepts || dragging === null) return;
        event.preventDefault();
        event.stopPropagation();
        setDropping(false);
        setDragging(null);
        void send({ type: "setIdeaGroup", ideaId: dragging as IdeaId, groupId });
      }}
    >
      <h3 id={headingId} className="idea-group-title">
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M3 7h7l2 2h9v10H3V7Z" />
        </svg>
        <span className="visually-hidden">{t("board.groups.groupLabel")} </span>
        {title}
      </h3>
      <ul className="idea-list">{children}</ul>
    </section>
  );
}

function Composer({ columnId, columnTitle }: { columnId: BoardColumn["id"]; columnTitle: string }) {
  const { t } = useTranslation();
  const { send, view } = useBoard();
  const [text, setText] = useState("");
  const [details, setDetails] = useState("");
  const [withDetails, setWithDetails] = useState(false);
  // Proposals still waiting for the server's answer. The composer never waits for one: the text is
  // cleared as it is sent, so the next idea can be typed at once (a submit ignored while busy, then
  // a clear when the first answer came, used to lose the second idea on a slow connection).
  const [inFlight, setInFlight] = useState(0);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const textId = useId();
  const detailsId = useId();
  const hintId = useId();
  const max = BOARD_LIMITS.ideaTextMaxLength;
  const nearLimit = text.length > max - 60;

  const submit = async () => {
    const trimmed = text.trim();
    if (trimmed === "") return;
    const sentDetails = details.trim();
    const hadDetails = withDetails;
    setText("");
    setDetails("");
    setWithDetails(false);
    textRef.current?.focus();
    setInFlight((n) => n + 1);
    const ack = await send({
      type: "proposeIdea",
      columnId,
      text: trimmed,
      ...(sentDetails ? { details: sentDetails } : {}),
    });
    setInFlight((n) => n - 1);
    if (!ack.ok) {
      // Refused (the phase moved on, a limit): give the words back unless something new was typed.
      setText((current) => (current === "" ? trimmed : current));
      if (sentDetails) {
        setDetails((current) => (current === "" ? sentDetails : current));
        setWithDetails((current) => current || hadDetails);
      }
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label className="visually-hidden" htmlFor={textId}>
        {t("board.composer.label", { column: columnTitle })}
      </label>
      <textarea
        ref={textRef}
        id={textId}
        className="input idea-input"
        rows={2}
        value={text}
        maxLength={max}
        placeholder={t("board.composer.placeholder")}
        aria-describedby={hintId}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.shiftKey) {
            event.preventDefault();
            void submit();
          }
        }}
      />
      {withDetails ? (
        <>
          <label className="field-label small-label" htmlFor={detailsId}>
            {t("board.composer.detailsLabel")}
          </label>
          <textarea
            id={detailsId}
            className="input"
            rows={3}
            value={details}
            maxLength={BOARD_LIMITS.ideaDetailsMaxLength}
            onChange={(event) => setDetails(event.target.value)}
          />
        </>
      ) : null}
      <div className="composer-actions">
        <p id={hintId} className="composer-hint">
          {nearLimit ? (
            t("board.composer.charactersLeft", { count: max - text.length })
          ) : inFlight > 0 ? (
            t("board.composer.adding")
          ) : (
            <>
              {view.meta.settings.anonymousIdeas ? <span>{t("board.composer.anonymous")} </span> : null}
              <span className="composer-keys">{t("board.composer.hint")}</span>
            </>
          )}
        </p>
        {!withDetails ? (
          <button type="button" className="text-button" onClick={() => setWithDetails(true)}>
            {t("board.composer.addDetails")}
          </button>
        ) : null}
        <Button type="submit" className="btn-small">
          {t("board.composer.submit")}
        </Button>
      </div>
    </form>
  );
}
