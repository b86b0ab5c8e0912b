import { describe, expect, it } from "vitest";
import { SENDS_AT_ONCE, sendEach, type Mailer, type MailMessage } from "./mailer.js";

const message = (to: string): MailMessage => ({ to, subject: "s", text: "t" });

describe("sending a batch of emails", () => {
  it("one by one mailers: a few at a time, every outcome in order, a failure only its own", async () => {
    let inFlight = 0;
    let most = 0;
    const mailer: Mailer = {
      async send(m) {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        if (m.to.startsWith("bad")) throw new Error(`refused ${m.to}`);
      },
      async close() {},
    };
    const batch = ["a", "bad1", "b", "c", "bad2", "d", "e"].map((to) => message(`${to}@example.it`));
    const outcomes = await sendEach(mailer, batch);
    expect(outcomes.map((o) => (o === undefined ? "sent" : (o as Error).message))).toEqual([
      "sent",
      "refused bad1@example.it",
      "sent",
      "sent",
      "refused bad2@example.it",
      "sent",
      "sent",
    ]);
    expect(most).toBe(SENDS_AT_ONCE);
    expect(await sendEach(mailer, [])).toEqual([]);
  });

  it("a mailer that sends many at once gets the whole batch in one call", async () => {
    const calls: number[] = [];
    const mailer: Mailer = {
      async send() {
        throw new Error("not one by one");
      },
      async sendMany(messages) {
        calls.push(messages.length);
        return messages.map(() => undefined);
      },
      async close() {},
    };
    expect(await sendEach(mailer, [message("a@x.it"), message("b@x.it")])).toEqual([undefined, undefined]);
    expect(calls).toEqual([2]);
  });
});
