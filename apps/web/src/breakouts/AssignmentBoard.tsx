// The assignment board: one column per table (and one for the people at no table), each person a
// card. Drag a card to another column (native HTML5 drag and drop), or use the card's move menu —
// the same action for keyboard and screen-reader users. Each person at a table shows whether they
// are connected now (a closed tab keeps its seat) and for how long they have sat there; each table,
// its board's ideas, votes (once revealed) and last activity.
import { useState, type DragEvent } from "react";
import { useTranslation } from "react-i18next";
import type { BreakoutOverview } from "@convivio/protocol";
import { Button } from "../ui/Button";
import { useNow } from "../boards/useNow";
import { tableName } from "./TableView";

const PLENARY = "plenary";
const DRAG_TYPE = "application/x-convivio-person";

export function AssignmentBoard({
  overview,
  active,
  onMove,
  onVisit,
}: {
  overview: BreakoutOverview;
  active: boolean;
  onMove: (userId: string, tableId: string | null) => void;
  onVisit: (tableId: string, hidden: boolean) => void;
}) {
  const { t } = useTranslation();
  const [over, setOver] = useState<string | null>(null);
  const now = useNow(true, 30_000);
  const tables = overview.tables;
  const minutesSince = (iso: string) => Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  const activity = (iso: string | null) => {
    if (!iso) return t("breakouts.board.noActivity");
    const minutes = minutesSince(iso);
    return minutes < 1 ? t("breakouts.board.activeNow") : t("breakouts.board.activeAgo", { minutes });
  };

  const dropProps = (target: string) =>
    active
      ? {
          onDragOver: (e: DragEvent) => {
            if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
            e.preventDefault();
            e.dataTransfer.dropEffect = "move";
            setOver(target);
          },
          onDragLeave: () => setOver((current) => (current === target ? null : current)),
          onDrop: (e: DragEvent) => {
            e.preventDefault();
            setOver(null);
            const userId = e.dataTransfer.getData(DRAG_TYPE);
            if (userId) onMove(userId, target === PLENARY ? null : target);
          },
        }
      : {};

  const person = (
    p: { userId: string; name: string },
    where: string,
    extra?: string,
    connected: boolean = true,
  ) => (
    <li
      key={p.userId}
      className={`breakout-person${connected ? "" : " is-away"}`}
      draggable={active}
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, p.userId);
        e.dataTransfer.effectAllowed = "move";
      }}
    >
      <span className="breakout-person-name">
        <span
          className={`breakout-presence${connected ? " is-here" : ""}`}
          role="img"
          aria-label={connected ? t("breakouts.board.connected") : t("breakouts.board.away")}
          title={connected ? t("breakouts.board.connected") : t("breakouts.board.away")}
        />
        {p.name}
      </span>
      {extra ? <span className="breakout-person-meta muted">{extra}</span> : null}
      {active ? (
        <select
          className="breakout-move"
          aria-label={t("breakouts.board.moveLabel", { name: p.name })}
          value={where}
          onChange={(e) => onMove(p.userId, e.target.value === PLENARY ? null : e.target.value)}
        >
          <option value={PLENARY}>{t("breakouts.board.plenary")}</option>
          {tables.map((tbl) => (
            <option key={tbl.id} value={tbl.id}>
              {tableName(t, tbl)}
            </option>
          ))}
        </select>
      ) : null}
    </li>
  );

  return (
    <div className="breakout-board" aria-label={t("breakouts.board.title")} role="region">
      {active ? (
        <div
          className={`breakout-column breakout-column-plenary${over === PLENARY ? " is-over" : ""}`}
          {...dropProps(PLENARY)}
        >
          <h3>
            {t("breakouts.board.unseated")} <span className="count">{overview.unseated.length}</span>
          </h3>
          <ul>{overview.unseated.map((p) => person(p, PLENARY))}</ul>
          {overview.unseated.length === 0 ? (
            <p className="muted small">{t("breakouts.board.nobody")}</p>
          ) : null}
        </div>
      ) : null}
      {tables.map((tbl) => (
        <div
          key={tbl.id}
          className={`breakout-column${over === tbl.id ? " is-over" : ""}`}
          {...dropProps(tbl.id)}
        >
          <h3>
            {tableName(t, tbl)}{" "}
            <span className="count">
              {tbl.seats === null ? tbl.people.length : `${tbl.people.length}/${tbl.seats}`}
            </span>
          </h3>
          <p className="breakout-activity muted small">
            {t("breakouts.board.ideas", { count: tbl.ideas })} ·{" "}
            {/* The server sends no count while the table's votes are hidden (until its reveal). */}
            {tbl.votes === null
              ? t("breakouts.board.votesHidden")
              : t("breakouts.board.votes", { count: tbl.votes })}
            <br />
            {activity(tbl.lastActivityAt)}
          </p>
          <ul>
            {tbl.people.map((p) =>
              person(
                p,
                tbl.id,
                [
                  p.host ? t("breakouts.board.host") : null,
                  minutesSince(p.since) < 1
                    ? t("breakouts.board.sinceNow")
                    : t("breakouts.board.since", { minutes: minutesSince(p.since) }),
                  p.connected ? null : t("breakouts.board.away"),
                ]
                  .filter(Boolean)
                  .join(" · "),
                p.connected,
              ),
            )}
          </ul>
          {active && tbl.status === "open" ? (
            <div className="breakout-column-actions">
              <Button className="btn-small" variant="secondary" onClick={() => onVisit(tbl.id, false)}>
                {t("breakouts.visit.join")}
              </Button>
              <Button className="btn-small" variant="ghost" onClick={() => onVisit(tbl.id, true)}>
                {t("breakouts.visit.listen")}
              </Button>
            </div>
          ) : null}
        </div>
      ))}
    </div>
  );
}
