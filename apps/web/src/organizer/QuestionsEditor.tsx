import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { QuestionKind, REGISTRATION_LIMITS } from "@convivio/protocol";
import { Button } from "../ui/Button";
import { CheckboxField } from "../ui/Choices";
import { TextField } from "../ui/Field";
import { TextAreaField } from "../ui/TextAreaField";
import { isChoiceKind, move, newDraft, type QuestionDraft, type QuestionErrors } from "./questionDrafts";

/** The custom questions of the registration form: add, word, reorder, remove. */
export function QuestionsEditor({
  drafts,
  errors,
  onChange,
}: {
  drafts: QuestionDraft[];
  errors: Record<string, QuestionErrors>;
  onChange: (drafts: QuestionDraft[]) => void;
}) {
  const { t } = useTranslation();
  const counter = useRef(0);
  const listRef = useRef<HTMLOListElement>(null);
  const update = (key: string, patch: Partial<QuestionDraft>) =>
    onChange(drafts.map((draft) => (draft.key === key ? { ...draft, ...patch } : draft)));
  const add = (kind: QuestionKind) => {
    counter.current += 1;
    onChange([...drafts, newDraft(kind, `new-${counter.current}`)]);
    // Focus the new question's label once it is drawn.
    window.requestAnimationFrame(() => {
      const inputs = listRef.current?.querySelectorAll<HTMLInputElement>("input[name='questionLabel']");
      inputs?.[inputs.length - 1]?.focus();
    });
  };

  return (
    <div className="questions-editor">
      {drafts.length === 0 ? <p className="muted">{t("registrations.questions.none")}</p> : null}
      <ol className="question-list" ref={listRef}>
        {drafts.map((draft, index) => {
          const problem = errors[draft.key] ?? {};
          const number = index + 1;
          return (
            <li key={draft.key} className="question-item">
              <div className="question-head">
                <p className="question-kind">
                  {t("registrations.questions.number", { number })} ·{" "}
                  {t(`registrations.questionKind.${draft.kind}`)}
                </p>
                <div className="question-tools">
                  <Button
                    variant="ghost"
                    className="btn-small btn-icon-only"
                    aria-label={t("registrations.questions.moveUp", { number })}
                    title={t("registrations.questions.moveUp", { number })}
                    disabled={index === 0}
                    onClick={() => onChange(move(drafts, index, -1))}
                  >
                    ↑
                  </Button>
                  <Button
                    variant="ghost"
                    className="btn-small btn-icon-only"
                    aria-label={t("registrations.questions.moveDown", { number })}
                    title={t("registrations.questions.moveDown", { number })}
                    disabled={index === drafts.length - 1}
                    onClick={() => onChange(move(drafts, index, 1))}
                  >
                    ↓
                  </Button>
                  <Button
                    variant="ghost"
                    className="btn-small"
                    onClick={() => onChange(drafts.filter((d) => d.key !== draft.key))}
                  >
                    {t("registrations.common.delete")}
                    <span className="visually-hidden">
                      : {t("registrations.questions.number", { number })}
                    </span>
                  </Button>
                </div>
              </div>
              <TextField
                name="questionLabel"
                label={t("registrations.questions.label")}
                maxLength={REGISTRATION_LIMITS.questionLabelMaxLength}
                value={draft.label}
                error={problem.label}
                onValueChange={(label) => update(draft.key, { label })}
              />
              <TextField
                name="questionHelp"
                label={t("registrations.questions.help")}
                maxLength={REGISTRATION_LIMITS.questionHelpMaxLength}
                value={draft.help}
                onValueChange={(help) => update(draft.key, { help })}
              />
              {isChoiceKind(draft.kind) ? (
                <TextAreaField
                  name="questionOptions"
                  label={t("registrations.questions.options")}
                  hint={t("registrations.questions.optionsHint")}
                  rows={4}
                  value={draft.optionsText}
                  error={problem.options}
                  onValueChange={(optionsText) => update(draft.key, { optionsText })}
                />
              ) : null}
              <CheckboxField
                name="questionRequired"
                label={
                  draft.kind === "checkbox"
                    ? t("registrations.questions.requiredCheckbox")
                    : t("registrations.questions.required")
                }
                checked={draft.required}
                onCheckedChange={(required) => update(draft.key, { required })}
              />
            </li>
          );
        })}
      </ol>
      {drafts.length < REGISTRATION_LIMITS.maxQuestions ? (
        <div className="question-add">
          <p className="field-label">{t("registrations.questions.add")}</p>
          <div className="actions">
            {QuestionKind.options.map((kind) => (
              <Button key={kind} variant="secondary" className="btn-small" onClick={() => add(kind)}>
                + {t(`registrations.questionKind.${kind}`)}
              </Button>
            ))}
          </div>
        </div>
      ) : null}
    </div>
  );
}
