import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { InviteCodeText, REGISTRATION_LIMITS, type EventDetail, type InviteCode } from "@convivio/protocol";
import { call } from "../api/client";
import { viewerTimeZone } from "../events/datetime";
import { formatDateTime, isLocalDateTime } from "../events/zonedTime";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { CheckboxField } from "../ui/Choices";
import { TextField } from "../ui/Field";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage, type Message } from "../ui/message";
import { inviteCodesQueryKey } from "./manageContext";

type Field = "code" | "maxUses" | "expiresAt";

/** Invite codes: single or multi-use, optionally past capacity; create and switch off. */
export function InviteCodesCard({ event }: { event: EventDetail }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const codes = useQuery({
    queryKey: inviteCodesQueryKey(event.slug),
    queryFn: ({ signal }) => call("listInviteCodes", { params: { slug: event.slug }, signal }),
  });
  const [code, setCode] = useState("");
  const [maxUses, setMaxUses] = useState("1");
  const [expiresAt, setExpiresAt] = useState("");
  const [bypass, setBypass] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field, Message>>>({});
  const [created, setCreated] = useState<InviteCode | null>(null);
  const create = useMutation({
    mutationFn: () =>
      call("createInviteCode", {
        params: { slug: event.slug },
        body: {
          ...(code.trim() ? { code: code.trim() } : {}),
          maxUses: maxUses.trim() === "" ? null : Number(maxUses),
          bypassCapacity: bypass,
          expiresAt: expiresAt || null,
        },
      }),
    onSuccess: async ({ inviteCode }) => {
      setCreated(inviteCode);
      setCode("");
      await queryClient.invalidateQueries({ queryKey: inviteCodesQueryKey(event.slug) });
    },
    onError: (error) => setErrors({ code: errorMessage(error) }),
  });

  const onSubmit = (submitted: FormEvent) => {
    submitted.preventDefault();
    if (create.isPending) return;
    setCreated(null);
    const found: Partial<Record<Field, Message>> = {};
    if (code.trim() && !InviteCodeText.safeParse(code.trim()).success)
      found.code = { key: "registrations.invites.codeInvalid" };
    const uses = maxUses.trim();
    if (
      uses !== "" &&
      (!/^\d+$/.test(uses) || Number(uses) < 1 || Number(uses) > REGISTRATION_LIMITS.inviteCodeMaxUses)
    )
      found.maxUses = { key: "registrations.invites.usesInvalid" };
    if (expiresAt && !isLocalDateTime(expiresAt))
      found.expiresAt = { key: "registrations.eventForm.dateInvalid" };
    setErrors(found);
    if (Object.keys(found).length === 0) create.mutate();
  };

  return (
    <section className="card" aria-labelledby="invites-title">
      <h2 id="invites-title">{t("registrations.invites.title")}</h2>
      <p className="muted">{t("registrations.invites.intro")}</p>
      {codes.data && codes.data.inviteCodes.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">{t("registrations.invites.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("registrations.invites.code")}</th>
                <th scope="col">{t("registrations.invites.uses")}</th>
                <th scope="col">{t("registrations.invites.beyond")}</th>
                <th scope="col">{t("registrations.invites.expires")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("registrations.invites.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {codes.data.inviteCodes.map((invite) => (
                <CodeRow key={invite.id} slug={event.slug} invite={invite} />
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted empty-line">{t("registrations.invites.none")}</p>
      )}
      <form className="form subsection" onSubmit={onSubmit} noValidate>
        <h3>{t("registrations.invites.newTitle")}</h3>
        <div role="status" className="inline-status">
          {created ? (
            <Alert tone="success">{t("registrations.invites.created", { code: created.code })}</Alert>
          ) : null}
        </div>
        <div className="field-row">
          <TextField
            name="code"
            label={t("registrations.invites.codeLabel")}
            hint={t("registrations.invites.codeHint")}
            autoComplete="off"
            spellCheck={false}
            maxLength={REGISTRATION_LIMITS.inviteCodeMaxLength}
            value={code}
            error={errors.code}
            onValueChange={setCode}
          />
          <TextField
            name="maxUses"
            inputMode="numeric"
            label={t("registrations.invites.maxUses")}
            hint={t("registrations.invites.maxUsesHint")}
            value={maxUses}
            error={errors.maxUses}
            onValueChange={setMaxUses}
          />
        </div>
        <TextField
          name="expiresAt"
          type="datetime-local"
          label={t("registrations.invites.expiresAt")}
          hint={t("registrations.invites.expiresAtHint")}
          value={expiresAt}
          error={errors.expiresAt}
          onValueChange={setExpiresAt}
        />
        <CheckboxField
          name="bypassCapacity"
          label={t("registrations.invites.bypass")}
          hint={t("registrations.invites.bypassHint")}
          checked={bypass}
          onCheckedChange={setBypass}
        />
        <div className="form-footer">
          <Button type="submit" variant="secondary" busy={create.isPending}>
            {t("registrations.invites.create")}
          </Button>
        </div>
      </form>
    </section>
  );
}

function CodeRow({ slug, invite }: { slug: string; invite: InviteCode }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const locale = INTL_LOCALE[currentLocale()];
  const disable = useMutation({
    mutationFn: () => call("disableInviteCode", { params: { slug, codeId: invite.id } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inviteCodesQueryKey(slug) }),
  });
  return (
    <tr className={invite.disabled ? "is-disabled" : undefined}>
      <td>
        <code className="invite-code-text">{invite.code}</code>
        {invite.disabled ? (
          <span className="muted small"> · {t("registrations.invites.disabled")}</span>
        ) : null}
      </td>
      <td>
        {invite.maxUses === null
          ? t("registrations.invites.usesUnlimited", { uses: invite.uses })
          : t("registrations.invites.usesOf", { uses: invite.uses, max: invite.maxUses })}
      </td>
      <td>{invite.bypassCapacity ? t("registrations.manage.yes") : t("registrations.manage.no")}</td>
      <td>{invite.expiresAt ? formatDateTime(invite.expiresAt, locale, viewerTimeZone()) : "—"}</td>
      <td className="cell-actions">
        {invite.disabled ? null : (
          <Button
            variant="ghost"
            className="btn-small"
            busy={disable.isPending}
            onClick={() => disable.mutate()}
          >
            {t("registrations.invites.disable")}
            <span className="visually-hidden">: {invite.code}</span>
          </Button>
        )}
        <FormAlert message={disable.isError ? errorMessage(disable.error) : null} />
      </td>
    </tr>
  );
}
