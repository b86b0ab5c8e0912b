import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { LOCALES, TeamRole, type EventTeamResponse, type UserId } from "@convivio/protocol";
import { call } from "../api/client";
import { useMe } from "../auth/session";
import { checkEmail, collectErrors } from "../auth/validation";
import { currentLocale } from "../i18n/i18n";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { SelectField, TextField } from "../ui/Field";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage, type Message } from "../ui/message";
import { useForm } from "../ui/useForm";
import { teamQueryKey, useManagedEvent } from "./manageContext";

type Member = EventTeamResponse["members"][number];

/** Co-organizers, facilitators and speakers: who they are, inviting more, taking a role away. */
export function TeamPage() {
  const { t } = useTranslation();
  const event = useManagedEvent();
  const team = useQuery({
    queryKey: teamQueryKey(event.slug),
    queryFn: ({ signal }) => call("listEventTeam", { params: { slug: event.slug }, signal }),
  });
  return (
    <div className="stack">
      <InviteCard slug={event.slug} />
      <section className="card" aria-labelledby="team-title">
        <h2 id="team-title">{t("registrations.team.title")}</h2>
        {team.isPending ? (
          <PageLoading />
        ) : team.isError ? (
          <PageLoadError
            title={t("registrations.team.loadError")}
            error={team.error}
            onRetry={() => void team.refetch()}
          />
        ) : (
          <ul className="team-list" role="list">
            {team.data.members.map((member) => (
              <MemberRow key={member.userId} slug={event.slug} member={member} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function MemberRow({ slug, member }: { slug: string; member: Member }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [error, setError] = useState<Message | null>(null);
  const remove = useMutation({
    mutationFn: (role: TeamRole) =>
      call("removeTeamMember", { params: { slug, userId: member.userId as UserId }, query: { role } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamQueryKey(slug) }),
    onError: (failure) => setError(errorMessage(failure)),
  });
  const roles = member.roles.filter((role): role is TeamRole => TeamRole.safeParse(role).success);
  return (
    <li className="team-item">
      <span className="avatar" aria-hidden="true">
        {member.name.trim().slice(0, 1).toUpperCase()}
      </span>
      <div className="team-who">
        <p className="team-name">
          {member.name}
          {me.data?.id === member.userId ? (
            <span className="muted"> {t("registrations.team.you")}</span>
          ) : null}
        </p>
        <p className="muted small">{member.email}</p>
        <FormAlert message={error} />
      </div>
      <ul className="chip-list team-roles" role="list">
        {roles.map((role) => (
          <li key={role} className="chip chip-removable">
            {t(`roles.${role}`)}
            <button
              type="button"
              className="chip-remove"
              aria-label={t("registrations.team.removeRole", { role: t(`roles.${role}`), name: member.name })}
              title={t("registrations.team.removeRole", { role: t(`roles.${role}`), name: member.name })}
              disabled={remove.isPending}
              onClick={() => {
                setError(null);
                remove.mutate(role);
              }}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </li>
  );
}

function InviteCard({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({ email: "", name: "", role: "facilitator", locale: currentLocale() as string });
  const [sentTo, setSentTo] = useState<string | null>(null);
  const invite = useMutation({
    mutationFn: () =>
      call("inviteTeamMember", {
        params: { slug },
        body: {
          email: form.values.email.trim(),
          ...(form.values.name.trim() ? { name: form.values.name.trim() } : {}),
          role: TeamRole.parse(form.values.role),
          locale: form.values.locale === "en" ? "en" : "it",
        },
      }),
    onSuccess: async () => {
      setSentTo(form.values.email.trim());
      form.setValues((current) => ({ ...current, email: "", name: "" }));
      await queryClient.invalidateQueries({ queryKey: teamQueryKey(slug) });
    },
    onError: (error) => form.showFailure(error),
  });
  const onSubmit = (submitted: FormEvent) => {
    submitted.preventDefault();
    if (invite.isPending) return;
    setSentTo(null);
    const errors = collectErrors({ email: checkEmail(form.values.email) });
    if (Object.keys(errors).length > 0) return form.showErrors(errors);
    form.clearErrors();
    invite.mutate();
  };
  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 id="invite-title">{t("registrations.team.inviteTitle")}</h2>
      <p className="muted">{t("registrations.team.inviteIntro")}</p>
      <form {...form.formProps} onSubmit={onSubmit} noValidate className="form">
        <FormAlert message={form.alert} />
        <div className="field-row">
          <TextField
            label={t("fields.email")}
            type="email"
            autoComplete="off"
            required
            {...form.field("email")}
          />
          <TextField
            label={t("registrations.team.nameOptional")}
            hint={t("registrations.team.nameHint")}
            autoComplete="off"
            {...form.field("name")}
          />
        </div>
        <div className="field-row">
          <SelectField
            label={t("registrations.team.role")}
            options={TeamRole.options.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            hint={t(
              `registrations.team.roleHints.${TeamRole.safeParse(form.values.role).data ?? "facilitator"}`,
            )}
            {...form.field("role")}
          />
          <SelectField
            label={t("registrations.team.language")}
            options={LOCALES.map((locale) => ({
              value: locale,
              label: t(`common.languageNames.${locale}`),
              lang: locale,
            }))}
            {...form.field("locale")}
          />
        </div>
        <div className="form-footer">
          <Button type="submit" busy={invite.isPending} busyLabel={t("registrations.team.inviting")}>
            {t("registrations.team.invite")}
          </Button>
          <div role="status" className="inline-status">
            {sentTo ? (
              <Alert tone="success">{t("registrations.team.invited", { email: sentTo })}</Alert>
            ) : null}
          </div>
        </div>
      </form>
    </section>
  );
}
