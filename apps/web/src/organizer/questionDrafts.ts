// The organizer's questions while being edited: options typed one per line, checked like the
// protocol checks them, and turned into the settings body.
import {
  REGISTRATION_LIMITS,
  type Question,
  type QuestionInput,
  type QuestionKind,
} from "@convivio/protocol";
import type { Message } from "../ui/message";

export interface QuestionDraft {
  /** A key for React that also exists before the server has given an id. */
  key: string;
  id?: Question["id"] | undefined;
  kind: QuestionKind;
  label: string;
  help: string;
  required: boolean;
  /** One option per line. */
  optionsText: string;
}

export const isChoiceKind = (kind: QuestionKind) => kind === "single_choice" || kind === "multiple_choice";

export function draftOf(question: Question): QuestionDraft {
  return {
    key: question.id,
    id: question.id,
    kind: question.kind,
    label: question.label,
    help: question.help,
    required: question.required,
    optionsText: question.options.join("\n"),
  };
}

export function newDraft(kind: QuestionKind, key: string): QuestionDraft {
  return { key, kind, label: "", help: "", required: false, optionsText: "" };
}

/** The non-empty, trimmed lines of the options box. */
export function optionsOf(draft: QuestionDraft): string[] {
  return draft.optionsText
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

export interface QuestionErrors {
  label?: Message;
  options?: Message;
}

/** Problems of each question, by its key; empty when all can be saved. */
export function checkQuestions(drafts: readonly QuestionDraft[]): Record<string, QuestionErrors> {
  const errors: Record<string, QuestionErrors> = {};
  for (const draft of drafts) {
    const found: QuestionErrors = {};
    const label = draft.label.trim();
    if (!label) found.label = { key: "registrations.questions.labelRequired" };
    else if (label.length > REGISTRATION_LIMITS.questionLabelMaxLength)
      found.label = {
        key: "registrations.eventForm.tooLong",
        values: { max: REGISTRATION_LIMITS.questionLabelMaxLength },
      };
    if (isChoiceKind(draft.kind)) {
      const options = optionsOf(draft);
      if (options.length < 2) found.options = { key: "registrations.questions.twoOptions" };
      else if (new Set(options).size !== options.length)
        found.options = { key: "registrations.questions.repeated" };
      else if (options.length > REGISTRATION_LIMITS.maxOptions)
        found.options = {
          key: "registrations.questions.tooMany",
          values: { max: REGISTRATION_LIMITS.maxOptions },
        };
      else if (options.some((o) => o.length > REGISTRATION_LIMITS.optionMaxLength))
        found.options = {
          key: "registrations.eventForm.tooLong",
          values: { max: REGISTRATION_LIMITS.optionMaxLength },
        };
    }
    if (found.label || found.options) errors[draft.key] = found;
  }
  return errors;
}

/** The questions as the settings body wants them. */
export function questionsToSend(drafts: readonly QuestionDraft[]): QuestionInput[] {
  return drafts.map((draft) => ({
    ...(draft.id ? { id: draft.id } : {}),
    kind: draft.kind,
    label: draft.label.trim(),
    help: draft.help.trim(),
    required: draft.required,
    options: isChoiceKind(draft.kind) ? optionsOf(draft) : [],
  }));
}

/** Moves one item of a list up (-1) or down (+1), leaving the list as is at its ends. */
export function move<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (target < 0 || target >= list.length) return [...list];
  const next = [...list];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}
