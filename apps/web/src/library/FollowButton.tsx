// Following a community or a tag for the weekly digest: a toggle wherever one meets them (a
// community's page, an item's tags, a search filtered by a tag), all reading the same list of
// follows, so a change shows everywhere at once.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { CommunityId, Follow, FollowBody } from "@convivio/protocol";
import { call } from "../api/client";
import { useMe } from "../auth/session";
import { Button } from "../ui/Button";
import { libraryKeys } from "./shared";

export type FollowTarget = { kind: "community"; target: CommunityId } | { kind: "tag"; target: string };

/** The signed-in person's follows (none while signed out), and a toggle for one of them. */
export function useFollows() {
  const me = useMe();
  const queryClient = useQueryClient();
  const follows = useQuery({
    queryKey: libraryKeys.follows,
    queryFn: ({ signal }) => call("listFollows", { signal }),
    enabled: Boolean(me.data),
  });
  const toggle = useMutation({
    mutationFn: ({ target, following }: { target: FollowTarget; following: boolean }) =>
      following
        ? call("unfollow", { body: target as FollowBody })
        : call("follow", { body: target as FollowBody }),
    onSuccess: (data) => queryClient.setQueryData(libraryKeys.follows, data),
  });
  const isFollowing = (target: FollowTarget) =>
    follows.data?.follows.some((f: Follow) => f.kind === target.kind && f.target === target.target) ?? false;
  return { signedIn: Boolean(me.data), follows, toggle, isFollowing };
}

export function FollowButton({ target, className }: { target: FollowTarget; className?: string }) {
  const { t } = useTranslation();
  const { signedIn, toggle, isFollowing } = useFollows();
  if (!signedIn) return null;
  const following = isFollowing(target);
  const busy = toggle.isPending && toggle.variables?.target.target === target.target;
  const label =
    target.kind === "tag"
      ? following
        ? t("library.follow.followingTag", { tag: target.target })
        : t("library.follow.followTag", { tag: target.target })
      : following
        ? t("library.follow.following")
        : t("library.follow.follow");
  return (
    <Button
      variant="secondary"
      className={className}
      aria-pressed={following}
      busy={busy}
      onClick={() => toggle.mutate({ target, following })}
    >
      {label}
    </Button>
  );
}
