// Issue 3 acceptance, in the real browser against the built server: an organizer creates an event
// with two sessions and capacity 2 and opens registration; three people register, each in their own
// browser; the third is waitlisted; one cancels from the email link; the third is promoted and sees
// it; the organizer exports the CSV. Along the way: a page per session (speakers, times in the
// viewer's zone beside the event's, a seat taken there), the home page's public events (an unlisted
// one left out and marked noindex), and the organizer's session filter and per-person history.
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

  async function newPage(
    locale: string,
    viewport = { width: 1280, height: 900 },
    timezoneId = "Europe/Rome",
  ): Promise<Page> {
    const context = await browser.newContext({ locale, viewport, timezoneId, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    return page;
  }

  /**
   * Opens the session form. On a loaded machine a click on "Add a session" right after the page
   * refreshed itself (a space was just added) was once lost (CI: the form never appeared in 15 s),
   * so the click is repeated while the form is not there.
   */
  async function openSessionForm(page: Page): Promise<void> {
    const title = page.getByLabel("Title");
    for (let attempt = 1; ; attempt++) {
      const add = page.getByRole("button", { name: "Add a session" });
      if (await add.isVisible()) await add.click();
      try {
        await title.waitFor({ timeout: 5_000 });
        return;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
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

    // A speaker on the team first, so the workshop can name her.
    await organizer.getByRole("link", { name: "Team" }).click();
    await organizer.getByLabel("Email address").fill("sofia@example.org");
    await organizer.getByLabel("Name (optional)").fill("Sofia Ricci");
    await organizer.getByLabel("Role", { exact: true }).selectOption("speaker");
    await organizer.getByRole("button", { name: "Send the invitation" }).click();
    await organizer.getByText("Invitation sent to sofia@example.org.").waitFor();

    // Programme: one space, two sessions that first overlap in it (warned), then do not.
    await organizer.getByRole("link", { name: "Programme" }).click();
    await organizer.getByLabel("New space").fill("Sala Rossa");
    await organizer.getByRole("button", { name: "Add space" }).click();
    await organizer.locator("input[value='Sala Rossa']").waitFor();

    await openSessionForm(organizer);
    await organizer.getByLabel("Title").fill("Opening plenary");
    await organizer.getByLabel("Kind").selectOption("plenary");
    await organizer.getByLabel("Space", { exact: true }).selectOption({ label: "Sala Rossa" });
    await organizer.getByLabel("Starts").fill(`${day}T09:00`);
    await organizer.getByLabel("Ends").fill(`${day}T10:30`);
    await organizer.getByRole("button", { name: "Add the session" }).click();
    await organizer.getByText("“Opening plenary” has been added.").waitFor();

    await openSessionForm(organizer);
    await organizer.getByLabel("Title").fill("Workshop: streets for people");
    await organizer.getByLabel("Kind").selectOption("workshop");
    await organizer.getByLabel("Space", { exact: true }).selectOption({ label: "Sala Rossa" });
    await organizer.getByLabel("Starts").fill(`${day}T10:00`);
    await organizer.getByLabel("Ends").fill(`${day}T12:00`);
    await organizer
      .getByLabel("Description")
      .fill("Bring your **ideas** for the streets around the school.\n\nWe draw them on a big map.");
    await organizer.getByRole("group", { name: "Speakers" }).getByLabel("Sofia Ricci").check();
    await organizer.getByRole("group", { name: "Facilitators" }).getByLabel("Giulia Ferri").check();
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

  it("shows the programme with a page per session, and the event on the home page", async () => {
    // A visitor in New York: times in their zone, with Rome's beside them.
    const visitor = await newPage("en-US", { width: 1280, height: 900 }, "America/New_York");
    await visitor.goto(`${server.url}/e/${slug}`);
    await visitor.getByRole("heading", { name: "Civic Lab 2026" }).waitFor();
    const workshop = visitor.locator(".agenda-session", { hasText: "Workshop: streets for people" });
    // The description is rendered Markdown, not its source; the speaker is named.
    await workshop.locator(".agenda-description strong", { hasText: "ideas" }).waitFor();
    expect(await workshop.textContent()).not.toContain("**");
    await workshop.getByText("Speaker: Sofia Ricci").waitFor();
    expect(await visitor.locator('meta[name="robots"]').count()).toBe(0);

    await workshop.getByRole("link", { name: "Workshop: streets for people" }).click();
    await visitor.getByRole("heading", { level: 1, name: "Workshop: streets for people" }).waitFor();
    expect(new URL(visitor.url()).pathname).toMatch(new RegExp(`^/e/${slug}/s/[0-9a-f-]{36}$`));
    const facts = visitor.locator(".session-facts");
    await facts.getByText("Sala Rossa").waitFor();
    await facts.getByText("Sofia Ricci").waitFor();
    await facts.getByText("Giulia Ferri").waitFor();
    await facts.getByText("10 of 10 seats left").waitFor();
    // 10:30 in Rome is 04:30 or 05:30 in New York, depending on the season.
    await expect.poll(() => facts.textContent()).toMatch(/0[45]:30–0[56]:00 \(America\/New York\)/);
    await expect.poll(() => facts.textContent()).toContain("10:30–12:00 in Europe/Rome");
    await visitor.locator(".session-description strong", { hasText: "ideas" }).waitFor();
    await visitor.getByRole("link", { name: "Register for the event" }).waitFor();
    await screenshot(visitor, "registrations-21-session-page");
    await visitor.getByRole("link", { name: "Back to the programme of Civic Lab 2026" }).click();
    await visitor.getByRole("heading", { name: "Programme" }).waitFor();

    // An unlisted event: reachable by its link, kept off the home page and out of search engines.
    const api = organizer.context().request;
    const created = await api.post(`${server.url}/api/events`, {
      data: {
        slug: "quiet-lab",
        title: "Quiet Lab",
        timeZone: "Europe/Rome",
        startsAt: `${day}T09:00`,
        endsAt: `${day}T12:00`,
      },
    });
    expect(created.status()).toBe(201);
    const unlisted = await api.post(`${server.url}/api/events/quiet-lab/visibility`, {
      data: { visibility: "unlisted" },
    });
    expect(unlisted.status()).toBe(200);
    const apiAnswer = await fetch(`${server.url}/api/events/quiet-lab`);
    expect(apiAnswer.headers.get("x-robots-tag")).toBe("noindex");
    await visitor.goto(`${server.url}/e/quiet-lab`);
    await visitor.getByRole("heading", { name: "Quiet Lab" }).waitFor();
    await expect.poll(() => visitor.locator('meta[name="robots"]').getAttribute("content")).toBe("noindex");

    await visitor.goto(server.url);
    await visitor.getByRole("heading", { name: "Coming up" }).waitFor();
    await visitor.getByRole("link", { name: "Civic Lab 2026" }).waitFor();
    expect(await visitor.getByText("Quiet Lab").count()).toBe(0);
    expect(await visitor.locator('meta[name="robots"]').count()).toBe(0);
    await visitor.locator(".public-events").scrollIntoViewIfNeeded();
    await screenshot(visitor, "registrations-22-home-public-events");
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

    // Bruno takes his seat from the session's own page.
    const bruno = attendees[1]!;
    await bruno.goto(`${server.url}/e/${slug}`);
    await bruno.getByRole("link", { name: "Workshop: streets for people" }).click();
    await bruno.getByRole("heading", { name: "Your seat in this session" }).waitFor();
    await bruno.getByRole("button", { name: "Take a seat in Workshop: streets for people" }).click();
    await bruno.getByRole("button", { name: "Give up your place in Workshop: streets for people" }).waitFor();
    await bruno.locator(".session-facts").getByText("8 of 10 seats left").waitFor();
    await screenshot(bruno, "registrations-10b-session-seat");
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

    // Who holds a seat in the workshop (Anna gave hers back when she cancelled), and how Bruno got it.
    await organizer
      .getByLabel("Session", { exact: true })
      .selectOption({ label: "Workshop: streets for people (1)" });
    await organizer.getByRole("heading", { name: "1 person" }).waitFor();
    await organizer.getByText("Bruno Esposito").waitFor();
    await organizer.getByRole("button", { name: "Answers and details" }).click();
    const history = organizer.locator(".person-history");
    await history.getByText("Workshop: streets for people: Confirmed").waitFor();
    await history.getByText("by Bruno Esposito").first().waitFor();
    await screenshot(organizer, "registrations-15b-session-filter-history");
    await organizer.getByLabel("Session", { exact: true }).selectOption({ label: "All sessions" });
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
    // Statuses in the organizer's language, like the table.
    expect(rowOf("Anna Conti")).toContain(",Cancelled,");
    expect(rowOf("Bruno Esposito")).toContain(",Confirmed,");
    expect(rowOf("Bruno Esposito")).toContain("Vegan");
    expect(rowOf("Bruno Esposito")).toContain("Workshop: streets for people");
    expect(rowOf("Carla Romano")).toContain(",Confirmed,");
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
    // His history says who moved him in.
    await organizer
      .getByRole("row", { name: /Dario Greco/ })
      .getByRole("button", { name: "Answers and details" })
      .click();
    await organizer.locator(".person-history").getByText("Confirmed").first().waitFor();
    await organizer.locator(".person-history").getByText("by Giulia Ferri").first().waitFor();
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
