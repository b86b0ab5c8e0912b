// Issue 5 (breakout tables) acceptance in the browser, with LiveKit unset: before the session
// starts, a facilitator plans two tables (one with a host) and two attendees (one in Italian, one on
// a phone) sign up for one each from the agenda (the event page, the lobby); someone waiting for
// the start is let in when it starts; the facilitator opens the tables from the sign-ups; each
// attendee lands at their table ("You are at Table N"), where the stage says video is off but the
// table's chat and board work; they chat and propose an idea each; the facilitator sees who is
// connected and the boards' activity (and no vote count while the tables' votes are secret);
// closing the tables brings everyone back to the plenary; the roll-up reveals the tables' votes and
// brings both ideas to the plenary board, marked with their table. Against the built server with its
// demo event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startServerProcess, type ServerProcess } from "../support/server.js";
import { launchBrowser, screenshot } from "../support/browser.js";

const SLUG = "laboratorio-partecipazione-digitale";
const SESSION_TITLE = "Apertura: perché partecipare online";
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const IDEAS = { sara: "Un orto condiviso in ogni quartiere", luca: "Night buses on weekends" };

describe("breakout tables in the browser", () => {
  let server: ServerProcess;
  let browser: Browser;
  let facilitator: Page;
  let sara: Page; // the demo attendee, in Italian
  let luca: Page; // a registered participant, on a phone
  let sessionUrl: string;
  const contexts: BrowserContext[] = [];

  function demoLink(label: string): string {
    const match = new RegExp(`Sign in as ${label}\\s+(\\S+)`).exec(server.output());
    if (!match?.[1]) throw new Error(`no sign-in link for ${label} in:\n${server.output()}`);
    return match[1];
  }

  async function newPage(options: { locale?: "en" | "it"; phone?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({
      locale: options.locale === "it" ? "it-IT" : "en-GB",
      viewport: options.phone ? PHONE : DESKTOP,
      ...(options.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    });
    if (options.locale) {
      await context.addInitScript(
        (locale) => window.localStorage.setItem("convivio.locale", locale),
        options.locale,
      );
    }
    contexts.push(context);
    return context.newPage();
  }

  async function signInAs(label: string, options: { locale?: "en" | "it"; phone?: boolean }): Promise<Page> {
    const page = await newPage(options);
    await page.goto(demoLink(label));
    await page.waitForURL(/\/dashboard/);
    return page;
  }

  const tableChat = (page: Page) => page.locator(".table-view-chat");

  beforeAll(async () => {
    server = await startServerProcess({ args: ["--demo"], env: { AUTH_RATE_LIMIT: "1000" } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    expect(await server?.stop()).toBe(0);
  });

  it("before the start, the facilitator plans two tables and the attendees sign up from the agenda", async () => {
    facilitator = await signInAs("facilitator", { locale: "en" });
    const event = await (await facilitator.request.get(`${server.url}/api/events/${SLUG}`)).json();
    const session = (event as { sessions: { id: string; title: string }[] }).sessions.find(
      (s) => s.title === SESSION_TITLE,
    )!;
    const board = await facilitator.request.post(
      `${server.url}/api/events/${SLUG}/sessions/${session.id}/boards`,
      { data: { title: "Plenary: our priorities" } },
    );
    expect(board.status(), await board.text()).toBe(201);
    sessionUrl = `${server.url}/e/${SLUG}/s/${session.id}/live`;
    // Facilitators prepare the session's tables before it starts.
    await facilitator.goto(sessionUrl);
    await facilitator.getByRole("heading", { name: SESSION_TITLE }).waitFor();
    await facilitator.getByRole("heading", { name: "Breakout tables" }).waitFor();
    await facilitator.getByRole("button", { name: "Plan tables ahead…" }).click();
    const plan = facilitator.getByRole("dialog", { name: "Plan tables ahead" });
    await plan.getByLabel("Topics (optional)").fill("Green spaces\nMobility");
    await plan.getByLabel("Seats per table (optional)").fill("5");
    // Sara hosts the Mobility table (she has not arrived: the picker lists everyone taking part).
    await plan.getByText("Hosts (optional)").click();
    await plan.getByLabel("Table 2 · Mobility").selectOption({ label: "Sara Conti" });
    await screenshot(facilitator, "breakouts-00-plan-hosts");
    await plan.getByRole("button", { name: "Save tables" }).click();
    await plan.waitFor({ state: "detached" });
    await facilitator.getByText("2 tables planned for sign-ups").waitFor();

    // Luca registers (the organizer adds him) and signs up with a password.
    const organizer = await signInAs("organizer", { locale: "en" });
    luca = await newPage({ locale: "en", phone: true });
    const signUp = await luca.request.post(`${server.url}/api/auth/sign-up`, {
      data: {
        name: "Luca Bianchi",
        email: "luca@example.org",
        password: "una frase lunga e segreta",
        locale: "en",
      },
    });
    expect(signUp.status()).toBe(201);
    const added = await organizer.request.post(`${server.url}/api/events/${SLUG}/registrations`, {
      data: { name: "Luca Bianchi", email: "luca@example.org", notify: false },
    });
    expect(added.status(), await added.text()).toBeLessThan(300);

    // Sara picks her table on the event page's programme, before the session starts.
    sara = await signInAs("attendee", { locale: "it" });
    await sara.goto(`${server.url}/e/${SLUG}`);
    const item = sara.locator(".agenda-session", { hasText: SESSION_TITLE });
    await item.getByText("Scegli il tuo tavolo (2 tavoli)").click();
    await item
      .locator(".breakout-choices li", { hasText: "Mobility" })
      .getByRole("button", { name: "Iscriviti" })
      .click();
    await item.getByText("Il tuo tavolo: Tavolo 2 · Mobility").waitFor();
    await screenshot(sara, "breakouts-00-signup-event-page-it");
    // Then she opens the session, which has not started: she waits.
    await sara.goto(sessionUrl);
    await sara.getByRole("heading", { name: "Questa sessione non è ancora iniziata" }).waitFor();

    // Luca picks his in the lobby, on his phone.
    await luca.goto(`${server.url}/e/${SLUG}/live`);
    const lobbyItem = luca.locator(".lobby-session", { hasText: SESSION_TITLE });
    await lobbyItem.getByText("Choose your table (2 tables)").click();
    await lobbyItem
      .locator(".breakout-choices li", { hasText: "Green spaces" })
      .getByRole("button", { name: "Sign up" })
      .click();
    await lobbyItem.getByRole("button", { name: "Withdraw" }).waitFor();
    await lobbyItem.getByText("Your table: Table 1 · Green spaces").waitFor();
    await screenshot(luca, "breakouts-00-signup-lobby-phone");
  });

  it("the session starts; the tables open from the sign-ups and each attendee lands at their table", async () => {
    await facilitator.getByRole("button", { name: "Start session" }).click();
    await facilitator.locator(".live-subtitle").getByText("Live now").waitFor();
    // Sara, who was waiting, is let in by herself.
    await sara.getByRole("heading", { name: "Il video non è configurato su questo server" }).waitFor();
    await luca.goto(sessionUrl);
    await luca.getByRole("heading", { name: "Video is not configured on this server" }).waitFor();

    await facilitator.getByRole("button", { name: "Open tables…" }).click();
    const dialog = facilitator.getByRole("dialog", { name: "Open breakout tables" });
    await dialog.getByText("2 participants are here now and not at a table.").waitFor();
    await dialog.getByLabel("Who sits where").selectOption({ label: "From sign-ups" });
    await screenshot(facilitator, "breakouts-01-open-dialog");
    await dialog.getByRole("button", { name: /^Open \d+ tables?$/ }).click();
    await dialog.waitFor({ state: "detached" });

    await sara.getByRole("heading", { name: "Sei al Tavolo 2 · Mobility" }).waitFor();
    await luca.getByRole("heading", { name: "You are at Table 1 · Green spaces" }).waitFor();
    // At the table the stage still says plainly that video is off; the plenary stage is gone.
    await sara.getByRole("heading", { name: "Il video non è configurato su questo server" }).waitFor();
    await expect.poll(() => sara.locator(".stage").count()).toBe(1);

    // The facilitator's board shows who sits where, connected now, and Sara as Mobility's host.
    for (const name of ["Sara Conti", "Luca Bianchi"]) {
      const card = facilitator.locator(".breakout-board .breakout-person", { hasText: name });
      await card.getByRole("img", { name: "Connected now" }).waitFor();
    }
    await facilitator
      .locator(".breakout-column", { hasText: "Mobility" })
      .locator(".breakout-person", { hasText: "Sara Conti" })
      .getByText(/host/)
      .waitFor();
    await screenshot(facilitator, "breakouts-02-assignment-board");
  });

  it("at their tables they chat and propose an idea each", async () => {
    await tableChat(sara).getByLabel("Messaggio").fill("Ciao dal mio tavolo!");
    await tableChat(sara).getByLabel("Messaggio").press("Enter");
    await tableChat(sara).getByText("Ciao dal mio tavolo!").waitFor();
    await tableChat(luca).getByLabel("Message").fill("Hi table!");
    await tableChat(luca).getByRole("button", { name: "Send" }).click();
    await tableChat(luca).getByText("Hi table!").waitFor();
    // Table chats are separate rooms: Sara does not see Luca's message.
    expect(await sara.getByText("Hi table!").count()).toBe(0);

    await sara.getByLabel("Nuova idea per «Ideas»").fill(IDEAS.sara);
    await sara.getByLabel("Nuova idea per «Ideas»").press("Enter");
    await sara.locator(".breakout-seat .idea-text").getByText(IDEAS.sara).waitFor();
    await luca.getByLabel("New idea for “Ideas”").fill(IDEAS.luca);
    await luca.getByLabel("New idea for “Ideas”").press("Enter");
    await luca.locator(".breakout-seat .idea-text").getByText(IDEAS.luca).waitFor();
    await screenshot(sara, "breakouts-03-table-it");
    await screenshot(luca, "breakouts-04-table-phone");

    // A broadcast reaches every table as a toast.
    await facilitator.getByLabel("Message to all tables").fill("Two minutes left: pick your best idea");
    await facilitator.getByRole("button", { name: "Send", exact: true }).first().click();
    await luca.locator(".breakout-toast").getByText("Two minutes left: pick your best idea").waitFor();
    await sara.locator(".breakout-toast").getByText("Two minutes left: pick your best idea").waitFor();
    // Sara calls a facilitator: the call is still listed after the facilitator reloads the page, and
    // answering it puts Sara's button back.
    await sara.getByRole("button", { name: "Chiama un facilitatore" }).click();
    await sara.getByRole("button", { name: "Un facilitatore è stato chiamato" }).waitFor();
    await facilitator.reload();
    const calls = facilitator.getByRole("region", { name: "Calls for a facilitator" });
    await calls.getByText("Sara Conti").waitFor();
    await screenshot(facilitator, "breakouts-04a-call-after-reload");
    await calls.getByRole("button", { name: "Done" }).click();
    await sara.getByRole("button", { name: "Chiama un facilitatore" }).waitFor();
    await calls.waitFor({ state: "detached" });
    // The tables' votes stay secret until their reveal, from the facilitators too: no count.
    await facilitator.locator(".breakout-board").getByText("1 idea · votes secret").first().waitFor();
    expect(
      await facilitator
        .locator(".breakout-board")
        .getByText(/\d+ votes?$/)
        .count(),
    ).toBe(0);
    await facilitator.locator(".breakout-board").getByText("Board active just now").first().waitFor();
    await screenshot(facilitator, "breakouts-04b-overview-activity");
  });

  it("closing the tables brings everyone back, and the roll-up puts both ideas on the plenary board", async () => {
    await facilitator.getByRole("button", { name: "Close all tables" }).click();
    await facilitator.getByRole("button", { name: "Right now" }).click();
    await sara.getByRole("heading", { name: "Il video non è configurato su questo server" }).waitFor();
    await sara.getByText("Sei di nuovo in plenaria").waitFor();
    await luca.getByText("You are back in the plenary").waitFor();
    await sara.getByRole("heading", { name: "Plenary: our priorities" }).waitFor();

    await facilitator.getByRole("button", { name: "Roll up to the plenary board" }).click();
    await facilitator.getByText("2 ideas added to the plenary board.").waitFor();
    for (const page of [facilitator, sara, luca]) {
      const plenary = page.locator(".live-board");
      await plenary.locator(".idea-text").getByText(IDEAS.sara).waitFor();
      await plenary.locator(".idea-text").getByText(IDEAS.luca).waitFor();
    }
    // Each copy is marked with its table.
    await facilitator
      .locator(".live-board")
      .getByText(/(Table|Tavolo) [12] · (Green spaces|Mobility)/)
      .first()
      .waitFor();
    // The roll-up published the tables' results: their boards are revealed, so the counts show.
    await facilitator.locator(".breakout-board").getByText("1 idea · 0 votes").first().waitFor();
    await screenshot(facilitator, "breakouts-05-rolled-up");
    await screenshot(sara, "breakouts-06-plenary-it");
  });
});
