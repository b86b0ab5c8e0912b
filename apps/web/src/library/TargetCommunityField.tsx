// Where a board's results go in the library, in the dialogs that send them there (the whole results
// or one idea): the event's own community unless the facilitator picks another one they edit.
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { CommunitySummary } from "@convivio/protocol";
import { call } from "../api/client";
import { libraryKeys } from "./shared";

/** The communities whose library the signed-in person writes to (editor or admin; the server checks the same). */
export function useEditableCommunities(): CommunitySummary[] {
  const communities = useQuery({
    queryKey: libraryKeys.communities,
    queryFn: ({ signal }) => call("listCommunities", { signal }),
  });
  return (communities.data?.communities ?? []).filter((c) => c.myRole === "editor" || c.myRole === "admin");
}

/** A community id, or "" for the event's own community. */
export function TargetCommunityField({
  communities,
  value,
  onChange,
}: {
  communities: readonly CommunitySummary[];
  value: string;
  onChange: (communityId: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <label className="field">
      <span className="field-label">{t("library.publish.community")}</span>
      <select className="input select" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t("library.publish.eventCommunity")}</option>
        {communities.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}
