import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  BOARD_LIMITS,
  type BoardColumn,
  type BoardSettings,
  type BoardSettingsPatch,
  type ProposerPolicy,
} from "@convivio/protocol";
import { Button } from "../ui/Button";
import { useBoard } from "./context";
import { Dialog } from "./Dialog";
import { countIdeasInColumn, newColumnId } from "./model";

/** The board's settings (collect and group phases only: voting fixes them, SPEC B3). */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { view, send } = useBoard();
  const current = view.meta.settings;
  const [columns, setColumns] = useState<BoardColumn[]>(current.columns);
  const [anonymousIdeas, setAnonymousIdeas] = useState(current.anonymousIdeas);
  const [voteBudget, setVoteBudget] = useState(String(current.voteBudget));
  const [maxVotesPerIdea, setMaxVotesPerIdea] = useState(String(current.maxVotesPerIdea));
  const [allowRetract, setAllowRetract] = useState(current.allowRetract);
  const [hideVotesUntilReveal, setHideVotesUntilReveal] = useState(current.hideVotesUntilReveal);
  const [whoMayPropose, setWhoMayPropose] = useState<ProposerPolicy>(current.whoMayPropose);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const ids = { budget: useId(), cap: useId(), who: useId(), problem: useId() };

  const budget = Number(voteBudget);
  const cap = Number(maxVotesPerIdea);
  const budgetValid = Number.isInteger(budget) && budget >= 1 && budget <= BOARD_LIMITS.voteBudgetMax;
  const capValid =
    Number.isInteger(cap) && cap >= 1 && cap <= (budgetValid ? budget : BOARD_LIMITS.voteBudgetMax);
  const columnsValid = columns.length > 0 && columns.every((c) => c.title.trim() !== "");

  const save = async () => {
    if (!budgetValid || !capValid || !columnsValid) {
      setProblem(t("board.settings.invalid"));
      return;
    }
    const next: BoardSettings = {
      columns: columns.map((c) => ({ ...c, title: c.title.trim(), prompt: c.prompt.trim() })),
      anonymousIdeas,
      voteBudget: budget,
      maxVotesPerIdea: cap,
      allowRetract,
      hideVotesUntilReveal,
      whoMayPropose,
    };
    const patch: BoardSettingsPatch = {};
    for (const key of Object.keys(next) as (keyof BoardSettings)[]) {
      if (JSON.stringify(next[key]) !== JSON.stringify(current[key]))
        Object.assign(patch, { [key]: next[key] });
    }
    if (Object.keys(patch).length === 0) return onClose();
    setBusy(true);
    const ack = await send({ type: "updateSettings", settings: patch });
    setBusy(false);
    if (ack.ok) onClose();
  };

  const updateColumn = (index: number, change: Partial<BoardColumn>) =>
    setColumns((list) => list.map((column, i) => (i === index ? { ...column, ...change } : column)));

  return (
    <Dialog
      wide
      title={t("board.settings.title")}
      description={t("board.settings.intro")}
      onClose={onClose}
      onSubmit={() => void save()}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" busy={busy} busyLabel={t("board.common.saving")}>
            {t("board.common.save")}
          </Button>
        </>
      }
    >
      <fieldset className="settings-section">
        <legend>{t("board.settings.columns")}</legend>
        <ol className="column-editor">
          {columns.map((column, index) => {
            const inUse =
              countIdeasInColumn(view, column.id) > 0 && current.columns.some((c) => c.id === column.id);
            return (
              <li key={column.id} className="column-editor-row">
                <label className="field">
                  <span className="field-label">{t("board.settings.columnTitle", { n: index + 1 })}</span>
                  <input
                    className="input"
                    value={column.title}
                    maxLength={BOARD_LIMITS.columnTitleMaxLength}
                    required
                    onChange={(event) => updateColumn(index, { title: event.target.value })}
                  />
                </label>
                <label className="field">
                  <span className="field-label">{t("board.settings.columnPrompt")}</span>
                  <input
                    className="input"
                    value={column.prompt}
                    maxLength={BOARD_LIMITS.columnPromptMaxLength}
                    onChange={(event) => updateColumn(index, { prompt: event.target.value })}
                  />
                </label>
                <Button
                  variant="ghost"
                  className="btn-small"
                  aria-disabled={inUse || columns.length === 1}
                  title={inUse ? t("board.settings.columnInUse") : undefined}
                  onClick={() => {
                    if (inUse || columns.length === 1) return;
                    setColumns((list) => list.filter((_, i) => i !== index));
                  }}
                >
                  {t("board.settings.removeColumn")}
                  <span className="visually-hidden"> {column.title}</span>
                </Button>
              </li>
            );
          })}
        </ol>
        {columns.length < BOARD_LIMITS.maxColumns ? (
          <Button
            variant="secondary"
            className="btn-small"
            onClick={() => {
              const title = t("board.settings.newColumn", { n: columns.length + 1 });
              setColumns((list) => [
                ...list,
                {
                  id: newColumnId(
                    title,
                    list.map((c) => c.id),
                  ),
                  title,
                  prompt: "",
                },
              ]);
            }}
          >
            {t("board.settings.addColumn")}
          </Button>
        ) : null}
      </fieldset>

      <fieldset className="settings-section">
        <legend>{t("board.settings.ideas")}</legend>
        <label className="board-toggle">
          <input
            type="checkbox"
            checked={anonymousIdeas}
            onChange={(e) => setAnonymousIdeas(e.target.checked)}
          />
          <span>
            {t("board.settings.anonymous")}
            <span className="board-toggle-hint">{t("board.settings.anonymousHint")}</span>
          </span>
        </label>
        <div className="field">
          <label className="field-label" htmlFor={ids.who}>
            {t("board.settings.whoMayPropose")}
          </label>
          <select
            id={ids.who}
            className="input select"
            value={whoMayPropose}
            onChange={(event) => setWhoMayPropose(event.target.value as ProposerPolicy)}
          >
            <option value="everyone">{t("board.settings.proposers.everyone")}</option>
            <option value="facilitators">{t("board.settings.proposers.facilitators")}</option>
          </select>
        </div>
      </fieldset>

      <fieldset className="settings-section">
        <legend>{t("board.settings.voting")}</legend>
        <div className="settings-numbers">
          <div className={budgetValid ? "field" : "field field-invalid"}>
            <label className="field-label" htmlFor={ids.budget}>
              {t("board.settings.voteBudget")}
            </label>
            <input
              id={ids.budget}
              className="input"
              type="number"
              min={1}
              max={BOARD_LIMITS.voteBudgetMax}
              value={voteBudget}
              onChange={(event) => setVoteBudget(event.target.value)}
            />
          </div>
          <div className={capValid ? "field" : "field field-invalid"}>
            <label className="field-label" htmlFor={ids.cap}>
              {t("board.settings.maxVotesPerIdea")}
            </label>
            <input
              id={ids.cap}
              className="input"
              type="number"
              min={1}
              max={budgetValid ? budget : BOARD_LIMITS.voteBudgetMax}
              value={maxVotesPerIdea}
              onChange={(event) => setMaxVotesPerIdea(event.target.value)}
            />
          </div>
        </div>
        <label className="board-toggle">
          <input type="checkbox" checked={allowRetract} onChange={(e) => setAllowRetract(e.target.checked)} />
          <span>{t("board.settings.allowRetract")}</span>
        </label>
        <label className="board-toggle">
          <input
            type="checkbox"
            checked={hideVotesUntilReveal}
            onChange={(e) => setHideVotesUntilReveal(e.target.checked)}
          />
          <span>
            {t("board.settings.hideVotes")}
            <span className="board-toggle-hint">{t("board.settings.hideVotesHint")}</span>
          </span>
        </label>
      </fieldset>
      <div role="alert" id={ids.problem}>
        {problem ? <p className="field-error">{problem}</p> : null}
      </div>
    </Dialog>
  );
}
