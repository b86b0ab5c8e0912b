// Issue 5 (breakout tables) acceptance in the browser, with LiveKit unset: a facilitator and two
// attendees (one in Italian, one on a phone) in a live session; the facilitator opens two tables;
// each attendee lands at a table ("You are at Table N"), where the stage says video is off but the
// table's chat and board work; they chat and propose an idea each; the facilitator closes the tables
// and everyone is back in the plenary; the roll-up brings both ideas to the plenary board, marked
// with their table. Against the built server with its demo event.
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

  it("a facilitator starts the session with a plenary board; two attendees join", async () => {
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
    await facilitator.goto(sessionUrl);
    await facilitator.getByRole("heading", { name: SESSION_TITLE }).waitFor();
    await facilitator.getByRole("button", { name: "Start session" }).click();
    await facilitator.locator(".live-subtitle").getByText("Live now").waitFor();
    await facilitator.getByRole("heading", { name: "Breakout tables" }).waitFor();

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

    sara = await signInAs("attendee", { locale: "it" });
    await sara.goto(sessionUrl);
    await sara.getByRole("heading", { name: "Il video non è configurato su questo server" }).waitFor();
    await luca.goto(sessionUrl);
    await luca.getByRole("heading", { name: "Video is not configured on this server" }).waitFor();
  });

  it("the facilitator plans two tables, the attendees sign up, and each lands at their table", async () => {
    await facilitator.getByRole("button", { name: "Plan tables ahead…" }).click();
    const plan = facilitator.getByRole("dialog", { name: "Plan tables ahead" });
    await plan.getByLabel("Topics (optional)").fill("Green spaces\nMobility");
    await plan.getByLabel("Seats per table (optional)").fill("5");
    await plan.getByRole("button", { name: "Save tables" }).click();
    await plan.waitFor({ state: "detached" });
    await facilitator.getByText("2 tables planned for sign-ups").waitFor();

    // Each attendee picks a table before the tables open.
    await sara.reload();
    await sara.getByRole("heading", { name: "Scegli il tuo tavolo" }).waitFor();
    await sara
      .locator(".breakout-choices li", { hasText: "Mobility" })
      .getByRole("button", { name: "Iscriviti" })
      .click();
    await sara.getByRole("button", { name: "Ritira l'iscrizione" }).waitFor();
    await luca.reload();
    await luca
      .locator(".breakout-choices li", { hasText: "Green spaces" })
      .getByRole("button", { name: "Sign up" })
      .click();
    await luca.getByRole("button", { name: "Withdraw" }).waitFor();
    await screenshot(luca, "breakouts-00-signup-phone");

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

    // The facilitator's board shows who sits where.
    for (const name of ["Sara Conti", "Luca Bianchi"]) {
      await facilitator.locator(".breakout-board").getByText(name).waitFor();
    }
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
    await facilitator.locator(".breakout-board").getByText("1 idea · 0 votes").first().waitFor();
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
    await screenshot(facilitator, "breakouts-05-rolled-up");
    await screenshot(sara, "breakouts-06-plenary-it");
  });
});
