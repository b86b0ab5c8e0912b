import { describe, expect, it } from "vitest";
import type { Question } from "@convivio/protocol";
import { answersToSend, checkDrafts, initialDrafts, questionIdsOfIssues } from "./answers";

const q = (id: string, kind: Question["kind"], required = false, options: string[] = []): Question =>
  ({ id, kind, label: id, help: "", required, options }) as Question;

const questions = [
  q("diet", "single_choice", true, ["Vegan", "None"]),
  q("topics", "multiple_choice", false, ["Mobility", "Schools", "Parks"]),
  q("note", "text"),
  q("photos", "checkbox", true),
];

describe("answer drafts", () => {
  it("start empty for each kind, or from saved answers", () => {
    expect(initialDrafts(questions)).toEqual({ diet: "", topics: [], note: "", photos: false });
    expect(initialDrafts(questions, { diet: "Vegan", topics: ["Parks"], photos: true })).toMatchObject({
      diet: "Vegan",
      topics: ["Parks"],
      photos: true,
    });
  });

  it("flag unanswered required questions, including an unticked required checkbox", () => {
    const errors = checkDrafts(questions, initialDrafts(questions));
    expect(Object.keys(errors).sort()).toEqual(["diet", "photos"]);
    expect(errors.photos?.key).toBe("registrations.answers.checkRequired");
    expect(checkDrafts(questions, { diet: "None", topics: [], note: " ", photos: true })).toEqual({});
  });

  it("send only real answers, trimmed, with choices in the organizer's order", () => {
    expect(
      answersToSend(questions, { diet: "None", topics: ["Parks", "Mobility"], note: "  hi  ", photos: true }),
    ).toEqual({ diet: "None", topics: ["Mobility", "Parks"], note: "hi", photos: true });
    expect(answersToSend(questions, initialDrafts(questions))).toEqual({});
  });

  it("finds the questions a server's issues point at", () => {
    expect(questionIdsOfIssues([{ path: "answers.diet" }, { path: "email" }])).toEqual(["diet"]);
  });
});
