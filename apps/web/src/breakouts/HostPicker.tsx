// Picking a host per table (World-Café: the host stays, everyone else moves on each round). The
// choice is among the people who may be in the session — present ones first — as the server lists
// them; the server checks it again. One person hosts one table, so whoever hosts elsewhere is
// greyed out in the other tables' lists.
import { useId } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { call } from "../api/client";

export function useHostCandidates(sessionId: string) {
  return useQuery({
    queryKey: ["breakout-hosts", sessionId],
    queryFn: ({ signal }) => call("listTableHosts", { params: { sessionId }, signal }),
    staleTime: 15_000,
  });
}

/** Whose host each table is, by its position in the list of tables. */
export type Hosts = readonly (string | null)[];

export function HostPicker({
  sessionId,
  tables,
  hosts,
  onChange,
}: {
  sessionId: string;
  /** The tables about to be opened or planned, by name. */
  tables: readonly string[];
  hosts: Hosts;
  onChange: (hosts: Hosts) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const candidates = useHostCandidates(sessionId);
  const people = candidates.data?.people ?? [];
  const set = (index: number, hostId: string | null) =>
    onChange(tables.map((_, i) => (i === index ? hostId : (hosts[i] ?? null))));

  if (tables.length === 0) return null;
  return (
    <div className="breakout-hosts">
      <p className="field-hint">{t("breakouts.hosts.hint")}</p>
      {candidates.isError ? (
        <p className="live-error" role="alert">
          {t("breakouts.hosts.loadError")}
        </p>
      ) : null}
      <ol className="breakout-host-list">
        {tables.map((name, index) => {
          const mine = hosts[index] ?? null;
          const elsewhere = new Set(hosts.filter((h, i): h is string => h !== null && i !== index));
          return (
            <li key={index}>
              <label htmlFor={`${id}-${index}`}>{name}</label>
              <select
                id={`${id}-${index}`}
                className="input"
                value={mine ?? ""}
                disabled={!candidates.data}
                onChange={(e) => set(index, e.target.value === "" ? null : e.target.value)}
              >
                <option value="">{t("breakouts.hosts.none")}</option>
                {people.map((p) => (
                  <option key={p.userId} value={p.userId} disabled={elsewhere.has(p.userId)}>
                    {p.present ? t("breakouts.hosts.present", { name: p.name }) : p.name}
                  </option>
                ))}
              </select>
            </li>
          );
        })}
      </ol>
      {candidates.data?.truncated ? (
        <p className="field-hint">{t("breakouts.hosts.truncated", { count: people.length })}</p>
      ) : null}
    </div>
  );
}
