import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { routes, type ColumnId } from "@convivio/protocol";
import { buildPath } from "../api/client";
import { PromoteIdea } from "../library/PromoteIdea";
import { PublishToLibrary } from "../library/PublishToLibrary";
import { useBoard } from "./context";
import { rankedIdeas } from "./model";

const EXPORTS = [
  { op: "exportBoardCsv", label: "CSV" },
  { op: "exportBoardJson", label: "JSON" },
  { op: "exportBoardMarkdown", label: "Markdown" },
] as const;

/** The ranking as a bar chart (plain CSS), overall or per column, with the downloads. */
export function ResultsView() {
  const { t } = useTranslation();
  const { view, role } = useBoard();
  const [scope, setScope] = useState<ColumnId | "overall">("overall");
  const headingId = useId();
  const columns = view.meta.settings.columns;
  const ranked = rankedIdeas(view, scope === "overall" ? undefined : scope);

  if (ranked === null) {
    return (
      <section className="results" aria-labelledby={headingId}>
        <h2 id={headingId}>{t("board.results.title")}</h2>
        <p className="muted">{t("board.errors.votes_hidden")}</p>
      </section>
    );
  }
  const max = Math.max(1, ...ranked.map((entry) => entry.votes));
  const totalVotes = ranked.reduce((sum, entry) => sum + entry.votes, 0);
  const columnTitle = (id: string) => columns.find((c) => c.id === id)?.title ?? id;

  return (
    <section className="results" aria-labelledby={headingId}>
      <div className="results-header">
        <div>
          <h2 id={headingId}>{t("board.results.title")}</h2>
          <p className="muted">
            {t("board.results.summary", { count: ranked.length, votes: totalVotes })}
            {view.meta.phase === "vote" ? ` ${t("board.results.live")}` : ""}
          </p>
        </div>
        <div className="results-exports">
          <span className="tool-label">{t("board.results.download")}</span>
          {EXPORTS.map(({ op, label }) => (
            <a
              key={op}
              className="btn btn-secondary btn-small"
              href={buildPath(routes[op].path, { boardId: view.boardId })}
              download
            >
              <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="btn-icon">
                <path d="M12 4v11m0 0-4-4m4 4 4-4M5 19h14" />
              </svg>
              {label}
            </a>
          ))}
          {role === "facilitator" ? <PublishToLibrary boardId={view.boardId} /> : null}
        </div>
      </div>

      {columns.length > 1 ? (
        <div className="segmented" role="group" aria-label={t("board.results.scope")}>
          <button type="button" aria-pressed={scope === "overall"} onClick={() => setScope("overall")}>
            {t("board.results.overall")}
          </button>
          {columns.map((column) => (
            <button
              key={column.id}
              type="button"
              aria-pressed={scope === column.id}
              onClick={() => setScope(column.id)}
            >
              {column.title}
            </button>
          ))}
        </div>
      ) : null}

      {ranked.length === 0 ? (
        <p className="muted">{t("board.results.empty")}</p>
      ) : (
        <ol className="results-chart">
          {ranked.map(({ idea, votes, rank }) => {
            const group = idea.groupId ? view.groups[idea.groupId] : undefined;
            return (
              <li key={idea.id} className={rank <= 3 && votes > 0 ? "result is-top" : "result"}>
                <span className="result-rank" aria-hidden="true">
                  {rank}
                </span>
                <div className="result-body">
                  <p className="result-text">
                    <span className="visually-hidden">{t("board.results.rank", { rank })}: </span>
                    {idea.text}
                  </p>
                  <p className="result-meta">
                    {scope === "overall" && columns.length > 1 ? (
                      <span>{columnTitle(idea.columnId)}</span>
                    ) : null}
                    {group ? <span>{group.title}</span> : null}
                    {idea.mergedCount > 0 ? (
                      <span>{t("board.idea.merged", { count: idea.mergedCount })}</span>
                    ) : null}
                  </p>
                  <div className="result-bar-track" aria-hidden="true">
                    <div className="result-bar" style={{ width: `${(votes / max) * 100}%` }} />
                  </div>
                  {role === "facilitator" ? (
                    <PromoteIdea boardId={view.boardId} ideaId={idea.id} text={idea.text} />
                  ) : null}
                </div>
                <span className="result-votes">{t("board.votes.total", { count: votes })}</span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
