// Issue 5 (live session) acceptance in the browser, with LiveKit unset: the organizer starts a
// session from the lobby; two attendees (one in Italian, one on a phone) join from the lobby; they
// chat, and a message the organizer removes disappears for everyone; a raised hand is brought on
// stage; the stage says plainly that video is not configured while everything else works; ending
// the session tells everyone. Against the built server with its demo event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startServerProcess, type ServerProcess } from "../support/server.js";
import { launchBrowser, screenshot } from "../support/browser.js";

const SLUG = "laboratorio-partecipazione-digitale";
const SESSION_TITLE = "Apertura: perché partecipare online";
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

describe("a live session in the browser", () => {
  let server: ServerProcess;
  let browser: Browser;
  let organizer: Page;
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

  /** The chat's messages as a page shows them. */
  const chatTexts = (page: Page) => page.locator(".chat-messages .chat-text").allTextContents();

  beforeAll(async () => {
    server = await startServerProcess({ args: ["--demo"], env: { AUTH_RATE_LIMIT: "1000" } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    expect(await server?.stop()).toBe(0);
  });

  it("the organizer opens the lobby from the event page and starts a session", async () => {
    organizer = await signInAs("organizer", { locale: "en" });
    await organizer
      .getByRole("link", { name: /^Live sessions/ })
      .first()
      .waitFor();
    await screenshot(organizer, "live-00-dashboard");
    // A board for the session, so the session page shows it beside the chat.
    const event = await (await organizer.request.get(`${server.url}/api/events/${SLUG}`)).json();
    const session = (event as { sessions: { id: string; title: string }[] }).sessions.find(
      (s) => s.title === SESSION_TITLE,
    )!;
    const board = await organizer.request.post(
      `${server.url}/api/events/${SLUG}/sessions/${session.id}/boards`,
      { data: { title: "Why take part online?" } },
    );
    expect(board.status(), await board.text()).toBe(201);

    await organizer.goto(`${server.url}/e/${SLUG}`);
    await organizer.getByRole("link", { name: "Live sessions →" }).click();
    await organizer.waitForURL(/\/live$/);
    await organizer.getByRole("heading", { name: "Live now" }).waitFor();
    await organizer.getByText("No session is live right now").waitFor();
    await screenshot(organizer, "live-01-lobby-team");
    await organizer.getByRole("link", { name: `Open: ${SESSION_TITLE}` }).click();
    await organizer.waitForURL(/\/s\/[0-9a-f-]+\/live$/);
    sessionUrl = organizer.url();
    await organizer.getByRole("heading", { name: SESSION_TITLE }).waitFor();
    await organizer.getByRole("button", { name: "Start session" }).click();
    await organizer.locator(".live-subtitle").getByText("Live now").waitFor();
    // LiveKit is unset: the stage says so, plainly.
    await organizer.getByRole("heading", { name: "Video is not configured on this server" }).waitFor();
    await organizer.getByRole("heading", { name: "Why take part online?" }).waitFor();
  });

  it("two attendees join from the lobby and everyone sees who is here", async () => {
    sara = await signInAs("attendee", { locale: "it" });
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

    await sara.goto(`${server.url}/e/${SLUG}/live`);
    await sara.getByRole("heading", { name: "In diretta ora" }).waitFor();
    await sara
      .locator(".lobby-now")
      .getByRole("link", { name: `Entra: ${SESSION_TITLE}` })
      .click();
    await sara.waitForURL(sessionUrl);
    await sara.getByRole("heading", { name: "Il video non è configurato su questo server" }).waitFor();

    await luca.goto(`${server.url}/e/${SLUG}/live`);
    await screenshot(luca, "live-02-lobby-phone");
    await luca
      .locator(".lobby-now")
      .getByRole("link", { name: `Join: ${SESSION_TITLE}` })
      .click();
    await luca.waitForURL(sessionUrl);
    await luca.getByRole("heading", { name: "Video is not configured on this server" }).waitFor();

    await organizer.getByRole("button", { name: /^People/ }).click();
    for (const name of ["Giulia Ferri", "Sara Conti", "Luca Bianchi"]) {
      await organizer.locator(".people-list").getByText(name).waitFor();
    }
  });

  it("they chat, and a message the organizer removes disappears for everyone", async () => {
    await organizer.getByRole("button", { name: "Chat", exact: true }).click();
    await sara.getByLabel("Messaggio").fill("Buongiorno a tutti!");
    await sara.getByLabel("Messaggio").press("Enter");
    await luca.getByLabel("Message").fill("Hello from my phone");
    await luca.getByRole("button", { name: "Send" }).click();
    await luca.getByLabel("Message").fill("Buy cheap watches here");
    await luca.getByLabel("Message").press("Enter");
    const all = ["Buongiorno a tutti!", "Hello from my phone", "Buy cheap watches here"];
    for (const page of [organizer, sara, luca]) {
      await expect.poll(() => chatTexts(page)).toEqual(all);
    }
    await screenshot(sara, "live-03-chat-it");

    await organizer.getByRole("button", { name: "Remove the message by Luca Bianchi" }).last().click();
    const afterRemoval = ["Buongiorno a tutti!", "Hello from my phone", "Message removed by a facilitator"];
    for (const page of [organizer, luca]) await expect.poll(() => chatTexts(page)).toEqual(afterRemoval);
    await expect
      .poll(() => chatTexts(sara))
      .toEqual(["Buongiorno a tutti!", "Hello from my phone", "Messaggio rimosso da chi facilita"]);
    // Attendees cannot remove messages.
    expect(await sara.getByRole("button", { name: /^Rimuovi il messaggio/ }).count()).toBe(0);
  });

  it("a raised hand is brought on stage and taken back", async () => {
    await luca.getByRole("button", { name: "Raise hand" }).click();
    await luca.getByRole("button", { name: "Lower hand" }).waitFor();
    await organizer.getByRole("button", { name: /^Hands/ }).click();
    const hand = organizer.locator(".hands-list li", { hasText: "Luca Bianchi" });
    await hand.waitFor();
    await hand.getByRole("button", { name: "Bring on stage" }).click();
    await hand.getByText("On stage").waitFor();
    await luca.getByRole("button", { name: "Leave the stage" }).waitFor();
    await sara.getByRole("button", { name: /^Mani/ }).click();
    await sara.locator(".hands-list li", { hasText: "Luca Bianchi" }).getByText("Sul palco").waitFor();
    await screenshot(organizer, "live-04-organizer-desktop");
    await screenshot(luca, "live-05-attendee-phone");

    await hand.getByRole("button", { name: "Take back" }).click();
    await luca.getByRole("button", { name: "Raise hand" }).waitFor();
    await organizer.getByText("No hands raised.").waitFor();
  });

  it("ending the session tells everyone", async () => {
    await organizer.getByRole("button", { name: "End session" }).click();
    await organizer.getByRole("button", { name: "End now" }).click();
    await organizer.getByRole("button", { name: "Start again" }).waitFor();
    await luca.getByText("This session has ended").waitFor();
    await sara.getByText("Questa sessione è conclusa").waitFor();
    await expect.poll(() => luca.getByLabel("Message").isDisabled()).toBe(true);
    await screenshot(luca, "live-06-ended-phone");
  });
});
