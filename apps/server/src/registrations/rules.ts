// The registration rules that need no database: whether registration is open, which status a new
// registration gets, and whether answers fit the questions. The service applies them under lock.
import type { AnswerValue, FieldIssue, QuestionKind, RegistrationState } from "@convivio/protocol";

export interface RegistrationWindow {
  registrationEnabled: boolean;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
  endsAt: Date;
}

/** Open, or why not (ignoring seats). Registration closes by itself when the event ends. */
export function registrationWindowState(
  event: RegistrationWindow,
  now: Date,
): Exclude<RegistrationState, "full"> {
  if (!event.registrationEnabled) return "not_enabled";
  if (event.registrationOpensAt && now < event.registrationOpensAt) return "not_yet_open";
  if (event.registrationClosesAt && now >= event.registrationClosesAt) return "closed";
  if (now >= event.endsAt) return "closed";
  return "open";
}

export interface SeatRules {
  /** Null means no limit. */
  capacity: number | null;
  /** Confirmed registrations that hold one of the capacity's seats. */
  seatsTaken: number;
  waitlist: boolean;
  approvalRequired: boolean;
}

export type Admission =
  | { status: "pending" | "waitlisted"; overCapacity: false }
  | { status: "confirmed"; overCapacity: boolean }
  | { status: "full" };

/** Seats left, or null when there is no limit. */
export function seatsLeft(capacity: number | null, seatsTaken: number): number | null {
  return capacity === null ? null : Math.max(0, capacity - seatsTaken);
}

/**
 * The status of a new registration. Approval comes first (an invite or the organizer skips it);
 * then a free seat, then an invite that bypasses capacity (or the organizer's choice), then the waitlist.
 */
export function admit(
  rules: SeatRules,
  options: { skipApproval: boolean; bypassCapacity: boolean },
): Admission {
  if (rules.approvalRequired && !options.skipApproval) return { status: "pending", overCapacity: false };
  const left = seatsLeft(rules.capacity, rules.seatsTaken);
  if (left === null || left > 0) return { status: "confirmed", overCapacity: false };
  if (options.bypassCapacity) return { status: "confirmed", overCapacity: true };
  if (rules.waitlist) return { status: "waitlisted", overCapacity: false };
  return { status: "full" };
}

export interface QuestionRule {
  id: string;
  kind: QuestionKind;
  label: string;
  required: boolean;
  options: string[];
}

const isEmpty = (value: AnswerValue | undefined) =>
  value === undefined ||
  value === false ||
  (typeof value === "string" && value.trim() === "") ||
  (Array.isArray(value) && value.length === 0);

/**
 * Checks answers against the event's current questions: no unknown question, the right shape for
 * each kind, only offered options, and (when `enforceRequired`) every required question answered.
 * A required checkbox must be ticked. Returns the cleaned answers (empty ones dropped) or issues.
 */
export function checkAnswers(
  questions: readonly QuestionRule[],
  answers: Record<string, AnswerValue>,
  enforceRequired: boolean,
): { ok: true; answers: Record<string, AnswerValue> } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  const cleaned: Record<string, AnswerValue> = {};
  for (const [id, value] of Object.entries(answers)) {
    const question = byId.get(id);
    const path = `answers.${id}`;
    if (!question) {
      issues.push({ path, message: "no such question" });
      continue;
    }
    if (isEmpty(value)) continue;
    switch (question.kind) {
      case "text":
        if (typeof value !== "string") issues.push({ path, message: "expected text" });
        else cleaned[id] = value.trim();
        break;
      case "single_choice":
        if (typeof value !== "string" || !question.options.includes(value)) {
          issues.push({ path, message: "expected one of the options" });
        } else cleaned[id] = value;
        break;
      case "multiple_choice":
        if (!Array.isArray(value) || value.some((v) => !question.options.includes(v))) {
          issues.push({ path, message: "expected some of the options" });
        } else if (new Set(value).size !== value.length) {
          issues.push({ path, message: "options must not repeat" });
        } else cleaned[id] = question.options.filter((o) => value.includes(o));
        break;
      case "checkbox":
        if (typeof value !== "boolean") issues.push({ path, message: "expected true or false" });
        else cleaned[id] = value;
        break;
      default: {
        const unknownKind: never = question.kind;
        throw new Error(`unknown question kind ${String(unknownKind)}`);
      }
    }
  }
  if (enforceRequired) {
    for (const q of questions) {
      if (q.required && cleaned[q.id] === undefined && !issues.some((i) => i.path === `answers.${q.id}`)) {
        issues.push({ path: `answers.${q.id}`, message: `"${q.label}" is required` });
      }
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, answers: cleaned };
}

/** Escapes `%`, `_` and `\` so a search text matches literally inside ILIKE. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
