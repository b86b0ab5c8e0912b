// On an event's public page: the community it belongs to, linked to that community's page (which
// lists its other events and its library). Nothing when it belongs to none.
import { Link } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { call } from "../api/client";

export function EventCommunityFact({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const community = useQuery({
    queryKey: ["library", "event-community", slug],
    queryFn: ({ signal }) => call("getEventCommunity", { params: { slug }, signal }),
  });
  const found = community.data?.community;
  if (!found) return null;
  return (
    <div>
      <dt>{t("library.eventCommunity.title")}</dt>
      <dd>
        <Link to={`/communities/${found.slug}`}>{found.name}</Link>
      </dd>
    </div>
  );
}
