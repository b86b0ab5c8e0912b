import { useTranslation } from "react-i18next";
import { REGISTRATION_LIMITS, type AnswerValue, type Question } from "@convivio/protocol";
import { ChoiceGroup, CheckboxField } from "../ui/Choices";
import { TextAreaField } from "../ui/TextAreaField";
import type { Message } from "../ui/message";
import type { AnswerDrafts } from "./answers";

/** The field name of a question's control, so a form can move focus to it. */
export const questionFieldName = (id: string) => `answer-${id}`;

/** An event's custom questions, each drawn as the control its kind calls for. */
export function QuestionFields({
  questions,
  drafts,
  errors,
  onChange,
}: {
  questions: readonly Question[];
  drafts: AnswerDrafts;
  errors: Record<string, Message>;
  onChange: (id: string, value: AnswerValue) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      {questions.map((question) => {
        const name = questionFieldName(question.id);
        const value = drafts[question.id];
        const error = errors[question.id];
        const label = (
          <>
            {question.label}
            {question.required ? null : (
              <span className="optional"> {t("registrations.answers.optional")}</span>
            )}
          </>
        );
        const hint = question.help || undefined;
        switch (question.kind) {
          case "text":
            return (
              <TextAreaField
                key={question.id}
                name={name}
                label={label}
                hint={hint}
                error={error}
                rows={2}
                required={question.required}
                maxLength={REGISTRATION_LIMITS.answerTextMaxLength}
                value={typeof value === "string" ? value : ""}
                onValueChange={(text) => onChange(question.id, text)}
              />
            );
          case "single_choice":
          case "multiple_choice": {
            const multiple = question.kind === "multiple_choice";
            const selected = Array.isArray(value) ? value : typeof value === "string" && value ? [value] : [];
            return (
              <ChoiceGroup
                key={question.id}
                name={name}
                legend={label}
                hint={
                  multiple ? [hint, t("registrations.answers.pickAny")].filter(Boolean).join(" · ") : hint
                }
                error={error}
                required={question.required}
                multiple={multiple}
                options={question.options.map((option) => ({ value: option, label: option }))}
                value={selected}
                onValueChange={(next) => onChange(question.id, multiple ? next : (next[0] ?? ""))}
              />
            );
          }
          case "checkbox":
            return (
              <CheckboxField
                key={question.id}
                name={name}
                label={label}
                hint={hint}
                error={error}
                required={question.required}
                checked={value === true}
                onCheckedChange={(checked) => onChange(question.id, checked)}
              />
            );
        }
      })}
    </>
  );
}
