// Opening tables: by count or by size, a seating strategy, optional topics (one table each, with
// seats), a host per table (who stays every World-Café round), World-Café rounds and a round length
// that starts the timer at once.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { BREAKOUT_LIMITS, BREAKOUT_STRATEGIES, type BreakoutStrategy } from "@convivio/protocol";
import { Dialog } from "../boards/Dialog";
import { Button } from "../ui/Button";
import type { BreakoutLive } from "./BreakoutLive";
import { HostPicker, type Hosts } from "./HostPicker";
import { tableName } from "./TableView";

export function OpenTablesDialog({
  client,
  sessionId,
  present,
  planned,
  onClose,
}: {
  client: BreakoutLive;
  sessionId: string;
  present: number;
  /** Tables planned ahead: the "topic" and "sign-ups" strategies open those (unless topics are typed here). */
  planned: number;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [mode, setMode] = useState<"count" | "size">("count");
  const [count, setCount] = useState(4);
  const [size, setSize] = useState(6);
  const [strategy, setStrategy] = useState<BreakoutStrategy>("random");
  const [topics, setTopics] = useState("");
  const [seats, setSeats] = useState("");
  const [rounds, setRounds] = useState(1);
  const [minutes, setMinutes] = useState("");
  const [hosts, setHosts] = useState<Hosts>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const topicList = topics
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, BREAKOUT_LIMITS.maxTables);
  const seatsNumber = seats.trim() === "" ? null : Math.max(1, Math.floor(Number(seats)));
  const usesPlanned = planned > 0 && (strategy === "registrations" || strategy === "topic");
  const tables = usesPlanned
    ? planned
    : mode === "count"
      ? count
      : Math.max(1, Math.ceil(present / Math.max(2, size)));
  // Tables planned ahead open with the hosts planned for them; otherwise one pick per table here.
  const pickingHosts = !(usesPlanned && topicList.length === 0);
  const hostTables = pickingHosts
    ? Array.from({ length: topicList.length || tables }, (_, i) =>
        tableName(t, { number: i + 1, topic: topicList[i] ?? "" }),
      )
    : [];
  const chosenHosts = hostTables.map((_, i) => hosts[i] ?? null);
  const hostCount = chosenHosts.filter(Boolean).length;

  const submit = async () => {
    setBusy(true);
    setError(null);
    const roundMs = minutes.trim() === "" ? undefined : Math.round(Number(minutes) * 60_000);
    const ack = await client.command({
      type: "open",
      by: mode === "count" ? { count } : { size },
      strategy,
      rounds,
      ...(roundMs ? { roundMs } : {}),
      // Topics or hosts make the tables explicit: one per topic (or the count above), each with its host.
      ...(topicList.length > 0 || hostCount > 0
        ? {
            tables: hostTables.map((_, i) => ({
              topic: topicList[i] ?? "",
              seats: Number.isFinite(seatsNumber) ? seatsNumber : null,
              hostId: chosenHosts[i] ?? null,
            })),
          }
        : {}),
    });
    setBusy(false);
    if (ack.ok) onClose();
    else setError(ack.code);
  };

  return (
    <Dialog
      title={t("breakouts.open.title")}
      description={t("breakouts.open.present", { count: present })}
      onClose={onClose}
      onSubmit={() => void submit()}
      wide
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            {t("breakouts.cancel")}
          </Button>
          <Button type="submit" busy={busy}>
            {t("breakouts.open.submit", { count: topicList.length || tables })}
          </Button>
        </>
      }
    >
      <fieldset className="breakout-fieldset">
        <legend>{t("breakouts.open.how")}</legend>
        <label className="inline-choice">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={mode === "count"}
            onChange={() => setMode("count")}
          />
          {t("breakouts.open.byCount")}
          <input
            type="number"
            className="input input-small"
            min={1}
            max={BREAKOUT_LIMITS.maxTables}
            value={count}
            aria-label={t("breakouts.open.count")}
            onChange={(e) =>
              setCount(Math.max(1, Math.min(BREAKOUT_LIMITS.maxTables, Number(e.target.value) || 1)))
            }
            onFocus={() => setMode("count")}
          />
        </label>
        <label className="inline-choice">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={mode === "size"}
            onChange={() => setMode("size")}
          />
          {t("breakouts.open.bySize")}
          <input
            type="number"
            className="input input-small"
            min={2}
            max={BREAKOUT_LIMITS.maxSeats}
            value={size}
            aria-label={t("breakouts.open.size")}
            onChange={(e) => setSize(Math.max(2, Number(e.target.value) || 2))}
            onFocus={() => setMode("size")}
          />
        </label>
      </fieldset>
      <label className="field" htmlFor={`${id}-strategy`}>
        <span className="field-label">{t("breakouts.open.strategy")}</span>
        <select
          id={`${id}-strategy`}
          className="input"
          value={strategy}
          onChange={(e) => setStrategy(e.target.value as BreakoutStrategy)}
        >
          {BREAKOUT_STRATEGIES.map((s) => (
            <option key={s} value={s}>
              {t(`breakouts.strategy.${s}`)}
            </option>
          ))}
        </select>
        <span className="field-hint">{t(`breakouts.strategyHint.${strategy}`)}</span>
      </label>
      <label className="field" htmlFor={`${id}-topics`}>
        <span className="field-label">{t("breakouts.open.topics")}</span>
        <textarea
          id={`${id}-topics`}
          className="input"
          rows={4}
          value={topics}
          placeholder={t("breakouts.open.topicsPlaceholder")}
          onChange={(e) => setTopics(e.target.value)}
        />
        <span className="field-hint">{t("breakouts.open.topicsHint")}</span>
      </label>
      <div className="breakout-field-row">
        <label className="field" htmlFor={`${id}-seats`}>
          <span className="field-label">{t("breakouts.open.seats")}</span>
          <input
            id={`${id}-seats`}
            className="input"
            type="number"
            min={1}
            value={seats}
            onChange={(e) => setSeats(e.target.value)}
          />
        </label>
        <label className="field" htmlFor={`${id}-rounds`}>
          <span className="field-label">{t("breakouts.open.rounds")}</span>
          <input
            id={`${id}-rounds`}
            className="input"
            type="number"
            min={1}
            max={BREAKOUT_LIMITS.maxRounds}
            value={rounds}
            onChange={(e) =>
              setRounds(Math.max(1, Math.min(BREAKOUT_LIMITS.maxRounds, Number(e.target.value) || 1)))
            }
          />
        </label>
        <label className="field" htmlFor={`${id}-minutes`}>
          <span className="field-label">{t("breakouts.open.minutes")}</span>
          <input
            id={`${id}-minutes`}
            className="input"
            type="number"
            min={1}
            step="any"
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
          />
        </label>
      </div>
      {pickingHosts ? (
        <details className="breakout-details">
          <summary>
            {t("breakouts.hosts.title")}
            {hostCount > 0 ? (
              <span className="count"> {t("breakouts.hosts.chosen", { count: hostCount })}</span>
            ) : null}
          </summary>
          <HostPicker sessionId={sessionId} tables={hostTables} hosts={chosenHosts} onChange={setHosts} />
        </details>
      ) : null}
      {usesPlanned && topicList.length === 0 ? (
        <p className="muted">{t("breakouts.open.usesPlanned", { count: planned })}</p>
      ) : null}
      {rounds > 1 ? <p className="muted">{t("breakouts.open.worldCafe")}</p> : null}
      {error ? (
        <p className="live-error" role="alert">
          {t(`errors.${error}`, { defaultValue: t("breakouts.error") })}
        </p>
      ) : null}
    </Dialog>
  );
}
