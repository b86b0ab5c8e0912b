// On the organizer's event page: which community the event belongs to. Its facilitators then
// publish board results straight into that community's library. Only communities where the
// organizer is an editor or admin are offered (the server checks the same).
import { useId, useState } from "react";
import { Link } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { CommunityId, EventDetail } from "@convivio/protocol";
import { call } from "../api/client";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage } from "../ui/message";
import { libraryKeys } from "./shared";

export function EventCommunityCard({ event }: { event: EventDetail }) {
  const { t } = useTranslation();
  const headingId = useId();
  const selectId = useId();
  const queryClient = useQueryClient();
  const key = ["library", "event-community", event.slug] as const;
  const current = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => call("getEventCommunity", { params: { slug: event.slug }, signal }),
  });
  const communities = useQuery({
    queryKey: libraryKeys.communities,
    queryFn: ({ signal }) => call("listCommunities", { signal }),
  });
  const [choice, setChoice] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (communityId: string) =>
      call("setEventCommunity", {
        params: { slug: event.slug },
        body: { communityId: (communityId || null) as CommunityId | null },
      }),
    onSuccess: (data) => {
      queryClient.setQueryData(key, data);
      setChoice(null);
    },
  });
  const editable = (communities.data?.communities ?? []).filter(
    (c) => c.myRole === "editor" || c.myRole === "admin",
  );
  const now = current.data?.community ?? null;
  const value = choice ?? now?.id ?? "";
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("library.eventCommunity.title")}</h2>
      <p className="muted">
        {now ? (
          <>
            {t("library.eventCommunity.current")} <Link to={`/communities/${now.slug}`}>{now.name}</Link>
          </>
        ) : (
          t("library.eventCommunity.none")
        )}
      </p>
      <FormAlert message={save.isError ? errorMessage(save.error) : null} />
      <div className="lib-add-member">
        <label className="field">
          <span className="field-label" id={selectId}>
            {t("library.eventCommunity.label")}
          </span>
          <select
            className="input select"
            aria-labelledby={selectId}
            value={value}
            onChange={(e) => setChoice(e.target.value)}
          >
            <option value="">{t("library.eventCommunity.noCommunity")}</option>
            {now && !editable.some((c) => c.id === now.id) ? (
              <option value={now.id}>{now.name}</option>
            ) : null}
            {editable.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <Button busy={save.isPending} disabled={value === (now?.id ?? "")} onClick={() => save.mutate(value)}>
          {t("library.eventCommunity.save")}
        </Button>
      </div>
    </section>
  );
}
