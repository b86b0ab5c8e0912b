// A community's members, shown to its members. Its admins add people by email, change anyone's
// role and remove people; the server keeps at least one admin and says so when a change would
// leave none.
import { useId, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  COMMUNITY_ROLES,
  type CommunityDetail,
  type CommunityMember,
  type CommunityRole,
} from "@convivio/protocol";
import { call } from "../api/client";
import { useMe } from "../auth/session";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage } from "../ui/message";
import { libraryKeys } from "./shared";

export function Members({ community }: { community: CommunityDetail }) {
  const { t } = useTranslation();
  const headingId = useId();
  const queryClient = useQueryClient();
  const admin = community.myRole === "admin";
  const refresh = () => queryClient.invalidateQueries({ queryKey: libraryKeys.community(community.slug) });
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<CommunityRole>("member");
  const add = useMutation({
    mutationFn: () => call("addCommunityMember", { params: { slug: community.slug }, body: { email, role } }),
    onSuccess: async () => {
      setEmail("");
      await refresh();
    },
  });
  const change = useMutation({
    mutationFn: ({ userId, role: next }: { userId: string; role: CommunityRole }) =>
      call("updateCommunityMember", {
        params: { slug: community.slug, userId: userId as CommunityMember["userId"] },
        body: { role: next },
      }),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (userId: string) =>
      call("removeCommunityMember", {
        params: { slug: community.slug, userId: userId as CommunityMember["userId"] },
      }),
    onSettled: refresh,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  const failure = change.error ?? remove.error;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("library.community.memberList")}</h2>
      {failure ? <FormAlert message={errorMessage(failure)} /> : null}
      <ul className="lib-members">
        {community.members.map((m) =>
          admin ? (
            <MemberRow
              key={m.userId}
              member={m}
              busy={
                (change.isPending && change.variables?.userId === m.userId) ||
                (remove.isPending && remove.variables === m.userId)
              }
              onRole={(next) => change.mutate({ userId: m.userId, role: next })}
              onRemove={() => remove.mutate(m.userId)}
            />
          ) : (
            <li key={m.userId}>
              {m.name} <span className="pill lib-role">{t(`library.role.${m.role}`)}</span>
            </li>
          ),
        )}
      </ul>
      {admin ? (
        <form className="lib-add-member" onSubmit={submit}>
          <FormAlert message={add.isError ? errorMessage(add.error) : null} />
          <label className="field">
            <span className="field-label">{t("library.community.email")}</span>
            <input
              className="input"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">{t("library.community.role")}</span>
            <select
              className="input select"
              value={role}
              onChange={(e) => setRole(e.target.value as CommunityRole)}
            >
              {COMMUNITY_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`library.role.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <Button type="submit" busy={add.isPending}>
            {t("library.community.add")}
          </Button>
        </form>
      ) : null}
    </section>
  );
}

/** One member as an admin sees them: their role to change, and a way to remove them. */
function MemberRow({
  member,
  busy,
  onRole,
  onRemove,
}: {
  member: CommunityMember;
  busy: boolean;
  onRole: (role: CommunityRole) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const self = me.data?.id === member.userId;
  return (
    <li className="lib-member-row" data-member={member.name}>
      <span className="lib-member-name">
        {member.name}
        {self ? <span className="muted"> {t("library.community.you")}</span> : null}
      </span>
      <select
        className="input select lib-member-role"
        aria-label={t("library.community.roleOf", { name: member.name })}
        value={member.role}
        aria-busy={busy || undefined}
        onChange={(e) => onRole(e.target.value as CommunityRole)}
      >
        {COMMUNITY_ROLES.map((r) => (
          <option key={r} value={r}>
            {t(`library.role.${r}`)}
          </option>
        ))}
      </select>
      <Button
        variant="ghost"
        className="btn-small"
        busy={busy}
        aria-label={t("library.community.removeLabel", { name: member.name })}
        onClick={onRemove}
      >
        {self ? t("library.community.leave") : t("library.community.remove")}
      </Button>
    </li>
  );
}
