import { describe, expect, it } from "vitest";
import type { Question } from "@convivio/protocol";
import { checkQuestions, draftOf, move, newDraft, questionsToSend } from "./questionDrafts";

describe("question drafts", () => {
  it("round-trip a saved question and keep its id", () => {
    const saved = {
      id: "9d1f2c3a-0000-4000-8000-000000000001",
      kind: "single_choice",
      label: "Dieta",
      help: "",
      required: true,
      options: ["Vegana", "Nessuna"],
    } as Question;
    expect(questionsToSend([draftOf(saved)])).toEqual([
      {
        id: saved.id,
        kind: "single_choice",
        label: "Dieta",
        help: "",
        required: true,
        options: ["Vegana", "Nessuna"],
      },
    ]);
  });

  it("read options one per line, ignoring blank lines, and only for choices", () => {
    const choice = {
      ...newDraft("multiple_choice", "k1"),
      label: "Temi",
      optionsText: " Parchi \n\nScuole\n",
    };
    const text = { ...newDraft("text", "k2"), label: "Note", optionsText: "left over" };
    expect(questionsToSend([choice, text]).map((q) => q.options)).toEqual([["Parchi", "Scuole"], []]);
  });

  it("flag a missing label, too few options and repeated options", () => {
    const errors = checkQuestions([
      newDraft("text", "a"),
      { ...newDraft("single_choice", "b"), label: "Uno", optionsText: "Solo" },
      { ...newDraft("single_choice", "c"), label: "Due", optionsText: "Sì\nSì" },
      { ...newDraft("checkbox", "d"), label: "Foto" },
    ]);
    expect(errors.a?.label?.key).toBe("registrations.questions.labelRequired");
    expect(errors.b?.options?.key).toBe("registrations.questions.twoOptions");
    expect(errors.c?.options?.key).toBe("registrations.questions.repeated");
    expect(errors.d).toBeUndefined();
  });

  it("move items within bounds", () => {
    expect(move(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
    expect(move(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
  });
});
