// The sending side of vertical sharing: a dialog to send the item down to all or chosen
// descendant communities, and the tally of what each one did with it. The tally is read over
// REST (the source of truth) and kept live by `library:tally` pushes on a socket opened while
// this panel is on screen; every (re)connect re-reads it, so a missed push cannot leave it stale.
import { useEffect, useId, useState } from "react";
import { Link } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { io } from "socket.io-client";
import { PROTOCOL_VERSION, type LibraryItemDetail, type LibraryTally } from "@convivio/protocol";
import { call } from "../api/client";
import { Dialog } from "../boards/Dialog";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage } from "../ui/message";
import { libraryKeys, useFormatDate } from "./shared";

function useLiveTally(itemId: string) {
  const queryClient = useQueryClient();
  useEffect(() => {
    const socket = io({
      path: "/socket.io",
      transports: ["websocket"],
      auth: { protocolVersion: PROTOCOL_VERSION },
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 10_000,
    });
    socket.on("connect", () => void queryClient.invalidateQueries({ queryKey: libraryKeys.tally(itemId) }));
    socket.on("library:tally", (tally: LibraryTally) => {
      if (tally.itemId !== itemId) return;
      queryClient.setQueryData(libraryKeys.tally(itemId), { tally });
      // An adoption adds a branch to the family tree shown above the tally.
      void queryClient.invalidateQueries({ queryKey: libraryKeys.item(itemId) });
    });
    return () => {
      socket.close();
    };
  }, [itemId, queryClient]);
}

export function ItemSharing({ item }: { item: LibraryItemDetail }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [sending, setSending] = useState(false);
  const tally = useQuery({
    queryKey: libraryKeys.tally(item.id),
    queryFn: ({ signal }) => call("getItemTally", { params: { itemId: item.id }, signal }),
  });
  useLiveTally(item.id);
  const data = tally.data?.tally;
  return (
    <section className="card lib-sharing" aria-labelledby={headingId}>
      <div className="lib-section-head">
        <h2 id={headingId}>{t("library.sharing.title")}</h2>
        <Button className="btn-small" onClick={() => setSending(true)}>
          {t("library.sharing.send")}
        </Button>
      </div>
      {data && data.rows.length > 0 ? (
        <TallyTable tally={data} />
      ) : (
        <p className="muted">{t("library.sharing.none")}</p>
      )}
      {sending ? <SendDownDialog item={item} onClose={() => setSending(false)} /> : null}
    </section>
  );
}

function TallyTable({ tally }: { tally: LibraryTally }) {
  const { t } = useTranslation();
  const format = useFormatDate();
  const { counts } = tally;
  return (
    <>
      <ul className="lib-counts" aria-label={t("library.sharing.countsLabel")} data-testid="tally-counts">
        <li>
          <strong>{counts.received}</strong> {t("library.sharing.received", { count: counts.received })}
        </li>
        <li>
          <strong>{counts.adopted}</strong> {t("library.sharing.adopted", { count: counts.adopted })}
        </li>
        <li>
          <strong>{counts.declined}</strong> {t("library.sharing.declined", { count: counts.declined })}
        </li>
        <li>
          <strong>{counts.outcomes}</strong> {t("library.sharing.outcomes", { count: counts.outcomes })}
        </li>
      </ul>
      <div className="table-scroll">
        <table className="lib-tally" aria-live="polite">
          <caption className="visually-hidden">{t("library.sharing.tallyCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("library.sharing.community")}</th>
              <th scope="col">{t("library.sharing.state")}</th>
              <th scope="col">{t("library.sharing.outcome")}</th>
            </tr>
          </thead>
          <tbody>
            {tally.rows.map((row) => (
              <tr key={row.deliveryId} data-community={row.community.name}>
                <th scope="row">{row.community.name}</th>
                <td>
                  <span className={`pill lib-delivery lib-delivery-${row.status}`}>
                    {t(`library.delivery.${row.status}`)}
                  </span>
                  {row.adoptedItemId ? (
                    <>
                      {" "}
                      <Link to={`/library/items/${row.adoptedItemId}`}>{t("library.sharing.viewCopy")}</Link>
                    </>
                  ) : row.copyStatus === "draft" ? (
                    // Their copy is still a draft, seen by their team only: no link until it is out.
                    <span className="muted"> {t("library.sharing.beingAdapted")}</span>
                  ) : row.copyStatus === "withdrawn" ? (
                    <span className="muted"> {t("library.sharing.copyWithdrawn")}</span>
                  ) : null}
                </td>
                <td>
                  {row.outcome ? (
                    <>
                      <span className={`pill lib-outcome lib-outcome-${row.outcome}`}>
                        {t(`library.outcome.${row.outcome}`)}
                      </span>{" "}
                      <span className="muted">{format(row.outcomeOn)}</span>
                      {row.outcomeNote ? <p className="lib-note">{row.outcomeNote}</p> : null}
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function SendDownDialog({ item, onClose }: { item: LibraryItemDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const noteId = useId();
  const [mode, setMode] = useState<"all" | "chosen">("chosen");
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [note, setNote] = useState("");
  const descendants = useQuery({
    queryKey: ["library", "descendants", item.id],
    queryFn: ({ signal }) => call("listItemDescendants", { params: { itemId: item.id }, signal }),
  });
  const send = useMutation({
    mutationFn: () =>
      call("sendItemDown", {
        params: { itemId: item.id },
        body: { target: mode === "all" ? "all" : ([...chosen] as never[]), note },
      }),
    onSuccess: (result) => {
      queryClient.setQueryData(libraryKeys.tally(item.id), result);
      onClose();
    },
  });
  const list = treeOrder(descendants.data?.communities ?? []);
  const toggle = (id: string) =>
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const ready = mode === "all" ? list.length > 0 : chosen.size > 0;
  return (
    <Dialog
      title={t("library.sharing.dialogTitle")}
      description={t("library.sharing.dialogIntro", { community: item.community.name })}
      onClose={onClose}
      onSubmit={() => ready && send.mutate()}
      wide
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" busy={send.isPending} aria-disabled={!ready || undefined}>
            {mode === "all"
              ? t("library.sharing.sendAll", { count: list.length })
              : t("library.sharing.sendChosen", { count: chosen.size })}
          </Button>
        </>
      }
    >
      {send.isError ? <FormAlert message={errorMessage(send.error)} /> : null}
      <fieldset className="lib-mode">
        <legend className="field-label">{t("library.sharing.to")}</legend>
        <label>
          <input type="radio" name="mode" checked={mode === "chosen"} onChange={() => setMode("chosen")} />{" "}
          {t("library.sharing.chosen")}
        </label>
        <label>
          <input type="radio" name="mode" checked={mode === "all"} onChange={() => setMode("all")} />{" "}
          {t("library.sharing.all", { count: list.length })}
        </label>
      </fieldset>
      {mode === "chosen" ? (
        <fieldset className="lib-picker">
          <legend className="visually-hidden">{t("library.sharing.pick")}</legend>
          {list.map((c) => (
            <label key={c.id} style={{ paddingInlineStart: `${(c.depth - 1) * 1.25}rem` }}>
              <input type="checkbox" checked={chosen.has(c.id)} onChange={() => toggle(c.id)} /> {c.name}{" "}
              <span className="muted">· {t(`library.communityKind.${c.kind}`)}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <label className="field-label" htmlFor={noteId}>
        {t("library.sharing.note")}
      </label>
      <textarea
        id={noteId}
        className="input"
        rows={2}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
    </Dialog>
  );
}

/** Communities in tree order (each parent followed by its children), names sorted within a level. */
function treeOrder<C extends { id: string; parentId: string | null; name: string; depth: number }>(
  list: C[],
): C[] {
  const children = new Map<string | null, C[]>();
  const ids = new Set(list.map((c) => c.id));
  for (const c of list) {
    const parent = c.parentId && ids.has(c.parentId) ? c.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), c]);
  }
  const out: C[] = [];
  const visit = (parent: string | null) => {
    for (const c of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      out.push(c);
      visit(c.id);
    }
  };
  visit(null);
  return out;
}
