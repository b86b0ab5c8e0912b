// The versions of an item, newest first, each with what changed since the one before it.
import { useId, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { ItemVersion } from "@convivio/protocol";
import { call } from "../api/client";
import { diffLines } from "./diff";
import { libraryKeys, useFormatDate } from "./shared";

function describe(version: ItemVersion): string {
  return [
    `# ${version.title}`,
    version.summary,
    version.tags.length ? `#${version.tags.join(" #")}` : "",
    version.territory ?? "",
    "",
    version.body,
  ].join("\n");
}

export function ItemHistory({ itemId }: { itemId: string }) {
  const { t } = useTranslation();
  const format = useFormatDate();
  const headingId = useId();
  const versions = useQuery({
    queryKey: libraryKeys.versions(itemId),
    queryFn: ({ signal }) => call("listItemVersions", { params: { itemId }, signal }),
  });
  const [open, setOpen] = useState<number | null>(null);
  const list = versions.data?.versions ?? [];
  return (
    <section className="card lib-history" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("library.history.title", { count: list.length })}</h2>
      <ol className="lib-versions">
        {list.map((version, index) => {
          const previous = list[index + 1];
          const shown = open === version.version;
          return (
            <li key={version.version}>
              <div className="lib-version-head">
                <span>
                  <strong>{t("library.history.version", { version: version.version })}</strong>{" "}
                  <span className="muted">
                    {format(version.createdAt, true)}
                    {version.editedBy ? ` · ${version.editedBy.name}` : ""}
                  </span>
                </span>
                {previous ? (
                  <button
                    type="button"
                    className="btn btn-ghost btn-small"
                    aria-expanded={shown}
                    onClick={() => setOpen(shown ? null : version.version)}
                  >
                    {shown ? t("library.history.hide") : t("library.history.show")}
                  </button>
                ) : (
                  <span className="muted">{t("library.history.first")}</span>
                )}
              </div>
              {shown && previous ? (
                <pre
                  className="lib-diff"
                  aria-label={t("library.history.diffLabel", { version: version.version })}
                >
                  {diffLines(describe(previous), describe(version)).map((line, i) => (
                    <span key={i} className={`lib-diff-${line.kind}`}>
                      {line.kind === "added" ? "+ " : line.kind === "removed" ? "− " : "  "}
                      {line.text}
                      {"\n"}
                    </span>
                  ))}
                </pre>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
