import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  REGISTRATION_LIMITS,
  type EventDetail,
  type RegistrationCounts,
  type SessionId,
} from "@convivio/protocol";
import { call } from "../api/client";
import { Button } from "../ui/Button";
import { ChoiceGroup } from "../ui/Choices";
import { SelectField, TextField } from "../ui/Field";
import { FormAlert } from "../ui/FormAlert";
import { TextAreaField } from "../ui/TextAreaField";
import type { Message } from "../ui/message";
import { useForm } from "../ui/useForm";

const AUDIENCES = ["confirmed", "waitlisted", "pending"] as const;
type Audience = (typeof AUDIENCES)[number];

/** An email to a chosen group of registrants (by status, optionally one session's seat holders). */
export function AnnouncementCard({
  event,
  counts,
  onSent,
  onClose,
}: {
  event: EventDetail;
  counts: RegistrationCounts | undefined;
  onSent: (message: Message) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const form = useForm({ subject: "", body: "", sessionId: "" });
  const [audience, setAudience] = useState<Audience[]>(["confirmed"]);
  const [audienceError, setAudienceError] = useState<Message | undefined>();
  const send = useMutation({
    mutationFn: () =>
      call("sendAnnouncement", {
        params: { slug: event.slug },
        body: {
          subject: form.values.subject.trim(),
          body: form.values.body.trim(),
          statuses: audience,
          ...(form.values.sessionId ? { sessionId: form.values.sessionId as SessionId } : {}),
        },
      }),
    onSuccess: ({ recipients }) =>
      onSent({ key: "registrations.announce.sent", values: { count: recipients } }),
    onError: (error) => form.showFailure(error),
  });
  const onSubmit = (submitted: FormEvent) => {
    submitted.preventDefault();
    if (send.isPending) return;
    const errors: Partial<Record<"subject" | "body", Message>> = {};
    if (!form.values.subject.trim()) errors.subject = { key: "registrations.announce.subjectRequired" };
    if (!form.values.body.trim()) errors.body = { key: "registrations.announce.bodyRequired" };
    const noAudience = audience.length === 0;
    setAudienceError(noAudience ? { key: "registrations.announce.audienceRequired" } : undefined);
    const count = Object.keys(errors).length + (noAudience ? 1 : 0);
    if (count > 0) return form.showErrors(errors, { key: "validation.summary", values: { count } });
    form.clearErrors();
    send.mutate();
  };
  const estimate = counts ? audience.reduce((sum, status) => sum + counts[status], 0) : null;
  return (
    <section className="card" aria-labelledby="announce-title">
      <h2 id="announce-title">{t("registrations.announce.title")}</h2>
      <p className="muted">{t("registrations.announce.intro")}</p>
      <form {...form.formProps} onSubmit={onSubmit} noValidate className="form">
        <FormAlert message={form.alert} />
        <ChoiceGroup
          name="audience"
          legend={t("registrations.announce.audience")}
          multiple
          inline
          error={audienceError}
          options={AUDIENCES.map((status) => ({
            value: status,
            label: counts
              ? `${t(`registrations.status.${status}`)} (${counts[status]})`
              : t(`registrations.status.${status}`),
          }))}
          value={audience}
          onValueChange={(next) => {
            setAudience(AUDIENCES.filter((status) => next.includes(status)));
            setAudienceError(undefined);
          }}
        />
        {counts && counts.sessions.length > 0 ? (
          <SelectField
            label={t("registrations.announce.session")}
            hint={t("registrations.announce.sessionHint")}
            options={[
              { value: "", label: t("registrations.announce.wholeEvent") },
              ...counts.sessions.map((session) => ({ value: session.sessionId, label: session.title })),
            ]}
            {...form.field("sessionId")}
          />
        ) : null}
        <TextField
          label={t("registrations.announce.subject")}
          required
          maxLength={REGISTRATION_LIMITS.announcementSubjectMaxLength}
          {...form.field("subject")}
        />
        <TextAreaField
          label={t("registrations.announce.body")}
          hint={t("registrations.announce.bodyHint")}
          required
          rows={6}
          maxLength={REGISTRATION_LIMITS.announcementBodyMaxLength}
          {...form.field("body")}
        />
        <div className="form-footer">
          <Button type="submit" busy={send.isPending} busyLabel={t("registrations.announce.sending")}>
            {estimate !== null && !form.values.sessionId
              ? t("registrations.announce.sendTo", { count: estimate })
              : t("registrations.announce.send")}
          </Button>
          <Button variant="ghost" onClick={onClose}>
            {t("common.cancel")}
          </Button>
        </div>
      </form>
    </section>
  );
}
