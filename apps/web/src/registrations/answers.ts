// Answers to an event's custom questions while someone fills the form: a draft per question kind,
// checked here the way the server checks them, so mistakes show next to the question at once.
import { REGISTRATION_LIMITS, type AnswerValue, type Question } from "@convivio/protocol";
import type { Message } from "../ui/message";

/** What the form holds for each question id. */
export type AnswerDrafts = Record<string, AnswerValue>;

/** An empty draft for each question, or the saved answer when editing. */
export function initialDrafts(
  questions: readonly Question[],
  saved: Record<string, AnswerValue> = {},
): AnswerDrafts {
  const drafts: AnswerDrafts = {};
  for (const question of questions) {
    const value = saved[question.id];
    switch (question.kind) {
      case "text":
      case "single_choice":
        drafts[question.id] = typeof value === "string" ? value : "";
        break;
      case "multiple_choice":
        drafts[question.id] = Array.isArray(value) ? value : [];
        break;
      case "checkbox":
        drafts[question.id] = value === true;
        break;
    }
  }
  return drafts;
}

function isBlank(value: AnswerValue | undefined): boolean {
  return (
    value === undefined ||
    value === false ||
    (typeof value === "string" && value.trim() === "") ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** Messages for unanswered required questions and over-long texts, keyed by question id. */
export function checkDrafts(questions: readonly Question[], drafts: AnswerDrafts): Record<string, Message> {
  const errors: Record<string, Message> = {};
  for (const question of questions) {
    const value = drafts[question.id];
    if (question.required && isBlank(value)) {
      errors[question.id] = {
        key:
          question.kind === "checkbox"
            ? "registrations.answers.checkRequired"
            : question.kind === "text"
              ? "registrations.answers.textRequired"
              : "registrations.answers.choiceRequired",
      };
    } else if (typeof value === "string" && value.length > REGISTRATION_LIMITS.answerTextMaxLength) {
      errors[question.id] = {
        key: "registrations.answers.tooLong",
        values: { max: REGISTRATION_LIMITS.answerTextMaxLength },
      };
    }
  }
  return errors;
}

/** The answers to send: blank ones left out, texts trimmed, choices in the organizer's order. */
export function answersToSend(
  questions: readonly Question[],
  drafts: AnswerDrafts,
): Record<string, AnswerValue> {
  const answers: Record<string, AnswerValue> = {};
  for (const question of questions) {
    const value = drafts[question.id];
    if (isBlank(value) || value === undefined) continue;
    if (typeof value === "string") answers[question.id] = value.trim();
    else if (Array.isArray(value)) answers[question.id] = question.options.filter((o) => value.includes(o));
    else answers[question.id] = value;
  }
  return answers;
}

/** The question ids named by a server's field issues (`answers.<id>`). */
export function questionIdsOfIssues(issues: readonly { path: string }[]): string[] {
  return issues.flatMap((issue) => {
    const match = /^answers\.([^.]+)/.exec(issue.path);
    return match?.[1] ? [match[1]] : [];
  });
}
