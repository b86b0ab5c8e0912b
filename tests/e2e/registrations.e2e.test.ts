// Issue 3 acceptance, in the real browser against the built server: an organizer creates an event
// with two sessions and capacity 2 and opens registration; three people register, each in their own
// browser; the third is waitlisted; one cancels from the email link; the third is promoted and sees
// it; the organizer exports the CSV.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startServerProcess, type ServerProcess } from "../support/server.js";
import { launchBrowser, screenshot as fullPageShot } from "../support/browser.js";

const PASSWORD = "una frase lunga e segreta";
const ORGANIZER = { name: "Giulia Ferri", email: "giulia@comune.example.it" };
const PEOPLE = [
  { name: "Anna Conti", email: "anna@example.org", locale: "en-GB" },
  { name: "Bruno Esposito", email: "bruno@example.org", locale: "en-GB" },
  { name: "Carla Romano", email: "carla@example.org", locale: "it-IT" },
] as const;

/** A full-page screenshot from the top, so the sticky header does not land in the middle of it. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await fullPageShot(page, name);
}

interface OutboxMessage {
  to: string;
  subject: string;
  text: string;
}

/** The event's day, a month from now, as the `YYYY-MM-DD` a date input wants. */
function eventDay(): string {
  return new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
}

describe("events, schedules and registrations in the browser", () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const day = eventDay();
  const slug = "civic-lab-2026";

  beforeAll(async () => {
    server = await startServerProcess({ env: { AUTH_RATE_LIMIT: "1000" } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    // No page threw along the way (a crash page would also have failed a step above).
    expect(pageErrors).toEqual([]);
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    expect(await server?.stop()).toBe(0);
  });

  async function newPage(locale: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ locale, viewport, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    return page;
  }

  /** Every message in the dev outbox to `to` whose subject matches, waiting for the first one. */
  async function mailTo(to: string, subject: RegExp, timeoutMs = 15_000): Promise<OutboxMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await fetch(`${server.url}/api/dev/outbox`);
      const { messages } = (await res.json()) as { messages: OutboxMessage[] };
      const found = messages.find((m) => m.to === to && subject.test(m.subject));
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `no mail to ${to} matching ${subject}; got ${messages.map((m) => `${m.to}: ${m.subject}`).join(" | ")}`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  let organizer: Page;
  const attendees: Page[] = [];

  it("lets an organizer create an event, build its programme and open registration", async () => {
    organizer = await newPage("en-GB");
    await organizer.goto(`${server.url}/sign-up`);
    await organizer.getByLabel("Full name").fill(ORGANIZER.name);
    await organizer.getByLabel("Email address").fill(ORGANIZER.email);
    await organizer.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await organizer.getByRole("button", { name: "Create account" }).click();
    await organizer.getByRole("heading", { name: "Your events" }).waitFor();
    await screenshot(organizer, "registrations-01-empty-dashboard");

    await organizer.getByRole("link", { name: "New event" }).first().click();
    await organizer.getByRole("heading", { name: "A new event" }).waitFor();
    await organizer.getByLabel("Title").fill("Civic Lab 2026");
    // The address follows the title until it is edited.
    await expect.poll(() => organizer.getByLabel("Web address").inputValue()).toBe("civic-lab-2026");
    await organizer.getByLabel("Time zone").selectOption("Europe/Rome");
    await organizer.getByLabel("Starts").fill(`${day}T09:00`);
    await organizer.getByLabel("Ends").fill(`${day}T18:00`);
    await organizer
      .getByLabel("Description")
      .fill("A day to **design together** the town's new public spaces.\n\n- Plenary\n- Workshops");
    await screenshot(organizer, "registrations-02-new-event");
    await organizer.getByRole("button", { name: "Create the event" }).click();
    await organizer.getByText("Your event is ready").waitFor();
    expect(new URL(organizer.url()).pathname).toBe(`/manage/${slug}`);
    await screenshot(organizer, "registrations-03-event-details");

    // Programme: one space, two sessions that first overlap in it (warned), then do not.
    await organizer.getByRole("link", { name: "Programme" }).click();
    await organizer.getByLabel("New space").fill("Sala Rossa");
    await organizer.getByRole("button", { name: "Add space" }).click();
    await organizer.locator("input[value='Sala Rossa']").waitFor();

    await organizer.getByRole("button", { name: "Add a session" }).click();
    await organizer.getByLabel("Title").fill("Opening plenary");
    await organizer.getByLabel("Kind").selectOption("plenary");
    await organizer.getByLabel("Space", { exact: true }).selectOption({ label: "Sala Rossa" });
    await organizer.getByLabel("Starts").fill(`${day}T09:00`);
    await organizer.getByLabel("Ends").fill(`${day}T10:30`);
    await organizer.getByRole("button", { name: "Add the session" }).click();
    await organizer.getByText("“Opening plenary” has been added.").waitFor();

    await organizer.getByRole("button", { name: "Add a session" }).click();
    await organizer.getByLabel("Title").fill("Workshop: streets for people");
    await organizer.getByLabel("Kind").selectOption("workshop");
    await organizer.getByLabel("Space", { exact: true }).selectOption({ label: "Sala Rossa" });
    await organizer.getByLabel("Starts").fill(`${day}T10:00`);
    await organizer.getByLabel("Ends").fill(`${day}T12:00`);
    await organizer.getByLabel("People register for this session on its own").check();
    await organizer.getByLabel("Seats", { exact: true }).fill("10");
    await organizer.getByRole("button", { name: "Add the session" }).click();
    await organizer.getByText("1 thing to check in the programme").waitFor();
    await organizer
      .getByText("“Opening plenary” and “Workshop: streets for people” overlap in Sala Rossa.")
      .waitFor();
    await screenshot(organizer, "registrations-04-schedule-warning");

    await organizer.getByRole("button", { name: /^Edit\W+Workshop: streets for people$/ }).click();
    await organizer.getByLabel("Starts").fill(`${day}T10:30`);
    await organizer.getByRole("button", { name: "Save changes" }).click();
    await organizer.getByText("“Workshop: streets for people” has been saved.").waitFor();
    await expect.poll(() => organizer.getByText("thing to check in the programme").count()).toBe(0);
    await screenshot(organizer, "registrations-05-schedule");

    // Registration: capacity 2 with a waiting list, one required question, a privacy notice.
    await organizer.getByRole("link", { name: "Registration", exact: true }).click();
    await organizer.getByLabel("Take registrations for this event").check();
    await organizer.getByLabel("Seats", { exact: true }).fill("2");
    await organizer.getByRole("button", { name: "+ One choice" }).click();
    await organizer.getByLabel("Question", { exact: true }).fill("Dietary needs");
    await organizer.getByLabel("Options").fill("None\nVegetarian\nVegan");
    await organizer.getByLabel("An answer is required").check();
    await organizer
      .getByLabel("Text people accept when they register")
      .fill("The Municipality processes your name and email only to run this event.");
    await organizer.getByRole("button", { name: "Save registration settings" }).click();
    await organizer.getByText("Registration settings saved.").waitFor();
    await screenshot(organizer, "registrations-06-registration-settings");

    // Publish.
    await organizer.getByRole("link", { name: "Details" }).click();
    await organizer.getByLabel("Public").check();
    await organizer.getByRole("button", { name: "Publish" }).click();
    await organizer.getByText("The event is now public.").waitFor();
  });

  it("takes three registrations without accounts; the third waits", async () => {
    for (const [index, person] of PEOPLE.entries()) {
      const italian = person.locale === "it-IT";
      const page = await newPage(person.locale);
      attendees.push(page);
      await page.goto(`${server.url}/e/${slug}`);
      await page.getByRole("heading", { name: "Civic Lab 2026" }).waitFor();
      await page.getByLabel(italian ? "Nome e cognome" : "Full name").fill(person.name);
      await page.getByLabel(italian ? "Indirizzo email" : "Email address").fill(person.email);
      await page.getByLabel(index === 1 ? "Vegan" : "Vegetarian").check();
      if (index === 0) {
        // Without accepting the privacy notice the form explains and sends nothing.
        await page.getByRole("button", { name: "Register" }).click();
        await page.getByText("Accept the privacy notice to register.").first().waitFor();
        await screenshot(page, "registrations-07-form-error");
      }
      await page
        .getByLabel(
          italian
            ? "Ho letto l'informativa sulla privacy e la accetto"
            : "I have read the privacy notice and I accept it",
        )
        .check();
      if (index === 2) await screenshot(page, "registrations-09-form-italian");
      await page.getByRole("button", { name: italian ? "Entra in lista d'attesa" : "Register" }).click();
      if (index < 2) {
        await page.getByText("You're registered!").waitFor();
        await page.getByText(`We've sent the details to ${person.email}.`).waitFor();
      } else {
        await page.getByText("Sei in lista d'attesa").waitFor();
        await page.getByText("sei il numero 1 della lista").waitFor();
      }
      await screenshot(page, `registrations-08-registered-${index + 1}`);
    }

    const waiting = await mailTo(PEOPLE[2].email, /lista d'attesa|waitlist/i);
    expect(waiting.text).toContain("/cancel#token=");
    await mailTo(PEOPLE[0].email, /registered|iscritt/i);
  });

  it("lets a registrant take a session seat and see their registration", async () => {
    const anna = attendees[0]!;
    await anna.getByRole("button", { name: "Take a seat in Workshop: streets for people" }).click();
    await anna.getByRole("button", { name: "Give up your place in Workshop: streets for people" }).waitFor();
    await anna.getByRole("link", { name: "See and manage your registration" }).click();
    await anna.getByRole("heading", { name: "Civic Lab 2026" }).waitFor();
    await anna.getByText("Your seat is confirmed.").waitFor();
    await screenshot(anna, "registrations-10-manage-page");

    const [calendar] = await Promise.all([
      anna.waitForEvent("download"),
      anna.getByRole("button", { name: "Add to calendar (.ics)" }).click(),
    ]);
    expect(calendar.suggestedFilename()).toBe(`${slug}.ics`);
    const ics = await readFile((await calendar.path())!, "utf8");
    expect(ics).toContain("BEGIN:VCALENDAR");
    expect(ics).toContain("Workshop: streets for people");
  });

  it("cancels from the email link, and the first person waiting gets the seat", async () => {
    const mail = await mailTo(PEOPLE[0].email, /registered/i);
    const cancelUrl = /https?:\/\/\S+\/cancel#token=\S+/.exec(mail.text)?.[0];
    expect(cancelUrl).toBeDefined();

    // The link works in a browser that has never seen this registration.
    const page = await newPage("en-GB");
    await page.goto(cancelUrl!);
    await page.getByRole("heading", { name: "Cancel your registration" }).waitFor();
    expect(page.url()).not.toContain("token=");
    await screenshot(page, "registrations-11-cancel-page");
    await page.getByRole("button", { name: "Yes, cancel my registration" }).click();
    await page.getByText("Done: your registration is cancelled").waitFor();
    await screenshot(page, "registrations-12-cancelled");

    // Carla was first in line: her email says so, and so does her page in her own browser.
    const promoted = await mailTo(PEOPLE[2].email, /liberato un posto|seat is yours/i);
    expect(promoted.text).toContain("Carla");
    const carla = attendees[2]!;
    await carla.goto(`${server.url}/registrations`);
    await carla.getByRole("heading", { name: "Le mie iscrizioni" }).waitFor();
    await carla.getByText("Confermata").first().waitFor();
    await screenshot(carla, "registrations-13-promoted-my-registrations");
    await carla.getByRole("link", { name: /^Gestisci\W+Civic Lab 2026$/ }).click();
    await carla.getByText("Sei iscritto!").waitFor();
    await screenshot(carla, "registrations-14-promoted-page");
  });

  it("shows the organizer the counts and exports the CSV", async () => {
    await organizer.goto(`${server.url}/manage/${slug}/people`);
    await organizer.getByRole("heading", { name: "3 people" }).waitFor();
    const stats = organizer.locator(".stat-grid");
    await expect.poll(() => stats.textContent()).toContain("2 of 2");
    await screenshot(organizer, "registrations-15-people");

    await organizer.getByLabel("Search").fill("carla");
    await organizer.getByRole("heading", { name: "1 person" }).waitFor();
    await organizer.getByLabel("Search").fill("");
    await organizer.getByRole("heading", { name: "3 people" }).waitFor();

    const [download] = await Promise.all([
      organizer.waitForEvent("download"),
      organizer.getByRole("link", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${slug}-registrations.csv`);
    const csv = await readFile((await download.path())!, "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trim().split(/\r?\n/);
    expect(lines[0]).toContain("Dietary needs");
    expect(lines).toHaveLength(4);
    const rowOf = (name: string) => lines.find((line) => line.includes(name)) ?? "";
    expect(rowOf("Anna Conti")).toContain("cancelled");
    expect(rowOf("Bruno Esposito")).toContain("confirmed");
    expect(rowOf("Bruno Esposito")).toContain("Vegan");
    expect(rowOf("Carla Romano")).toContain("confirmed");
  });

  it("lets the organizer add someone by hand, move them in, announce, and invite a facilitator", async () => {
    await organizer.getByRole("button", { name: "Add someone" }).click();
    const addForm = organizer.locator("section", {
      has: organizer.getByRole("heading", { name: "Add someone by hand" }),
    });
    await addForm.getByLabel("Full name").fill("Dario Greco");
    await addForm.getByLabel("Email address").fill("dario@example.org");
    await addForm.getByRole("button", { name: "Add", exact: true }).click();
    await organizer.getByText("The event is full: Dario Greco is on the waiting list.").waitFor();

    await organizer.getByLabel("Select Dario Greco").check();
    await organizer
      .locator(".bulk-bar")
      .getByRole("button", { name: "Move in from the waiting list" })
      .click();
    await organizer.getByText("1 person moved in from the waiting list.").waitFor();
    await organizer.getByText("Beyond capacity").first().waitFor();
    await mailTo("dario@example.org", /seat is yours|liberato un posto|registered|iscritt/i);

    await organizer.getByRole("button", { name: "Send an announcement" }).click();
    await organizer.getByLabel("Subject").fill("Bring a reusable bottle");
    await organizer.getByLabel("Message").fill("Water is provided, cups are not. See you on the day!");
    await screenshot(organizer, "registrations-17-announcement");
    await organizer.getByRole("button", { name: "Send to 3 people" }).click();
    await organizer.getByText("The announcement is on its way to 3 people.").waitFor();
    const announcement = await mailTo(PEOPLE[1].email, /Bring a reusable bottle/);
    expect(announcement.text).toContain("Water is provided");

    await organizer.getByRole("link", { name: "Team" }).click();
    await organizer.getByLabel("Email address").fill("fabio@example.org");
    await organizer.getByLabel("Name (optional)").fill("Fabio Marino");
    await organizer.getByRole("button", { name: "Send the invitation" }).click();
    await organizer.getByText("Invitation sent to fabio@example.org.").waitFor();
    await organizer.getByText("Fabio Marino").waitFor();
    await screenshot(organizer, "registrations-18-team");
    await mailTo("fabio@example.org", /team/i);
  });

  it("fits a phone", async () => {
    const phone = await newPage("en-GB", { width: 390, height: 844 });
    await phone.goto(`${server.url}/e/${slug}`);
    await phone.getByRole("heading", { name: "Registration" }).waitFor();
    await phone.getByText("The event is full: you can join the waiting list").waitFor();
    await screenshot(phone, "registrations-16-phone-event");
    const overflow = () => phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);

    // The organizer's table on a phone: one card per person, nothing wider than the screen.
    await organizer.setViewportSize({ width: 390, height: 844 });
    await organizer.goto(`${server.url}/manage/${slug}/people`);
    await organizer.getByRole("heading", { name: "4 people" }).waitFor();
    await screenshot(organizer, "registrations-19-phone-people");
    expect(
      await organizer.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await organizer.goto(`${server.url}/manage/${slug}/schedule`);
    await organizer.getByText("Workshop: streets for people").first().waitFor();
    await screenshot(organizer, "registrations-20-phone-schedule");
  });
});
