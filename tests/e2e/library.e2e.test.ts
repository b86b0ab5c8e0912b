// Issue 8 acceptance in the browser: a national editor sends an act down to two local
// communities; one adopts and adapts it, the other reports an outcome; the sender's open page
// shows both on the tally without a reload (the sender has no seat below: the copy shows as being
// adapted until Roma publishes it, then opens). The sender follows a tag and stops following from
// the page the digest links to. A reader comments on the act and removes her own words; the national
// editor removes an abusive comment for everyone. Then a facilitator turns one idea into a draft item, publishes a
// board's results to the library in one action and finds them by search. Against the built server
// with its demo data.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startServerProcess, type ServerProcess } from "../support/server.js";
import { launchBrowser, screenshot } from "../support/browser.js";

const SLUG = "laboratorio-partecipazione-digitale";
const ACT = "Mozione per i bilanci partecipativi nei comuni";
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

describe("the library in the browser", () => {
  let server: ServerProcess;
  let browser: Browser;
  let national: Page;
  let actUrl: string;
  const contexts: BrowserContext[] = [];

  function demoLink(label: string): string {
    const match = new RegExp(`Sign in as ${label}\\s+(\\S+)`).exec(server.output());
    if (!match?.[1]) throw new Error(`no sign-in link for ${label} in:\n${server.output()}`);
    return match[1];
  }

  async function signInAs(
    label: string,
    options: { locale?: "en" | "it"; phone?: boolean } = {},
  ): Promise<Page> {
    const context = await browser.newContext({
      locale: options.locale === "it" ? "it-IT" : "en-GB",
      viewport: options.phone ? PHONE : DESKTOP,
      ...(options.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    });
    await context.addInitScript(
      (locale) => window.localStorage.setItem("convivio.locale", locale),
      options.locale ?? "en",
    );
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(demoLink(label));
    await page.waitForURL(/\/dashboard/);
    return page;
  }

  beforeAll(async () => {
    server = await startServerProcess({ args: ["--demo"], env: { AUTH_RATE_LIMIT: "1000" } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    expect(await server?.stop()).toBe(0);
  });

  it("a national editor finds the act and sends it down to two local communities", async () => {
    national = await signInAs("national");
    await national.getByRole("link", { name: "Library" }).click();
    await national.getByRole("heading", { name: "Library", level: 1 }).waitFor();
    await national.getByRole("searchbox", { name: "Search the library" }).fill("mozioni bilanci");
    await national.getByRole("button", { name: "Search", exact: true }).click();
    await national.getByRole("link", { name: ACT }).waitFor();
    await screenshot(national, "library-01-search");
    await national.getByRole("link", { name: ACT }).click();
    await national.getByRole("heading", { name: ACT, level: 1 }).waitFor();
    actUrl = national.url();

    await national.getByRole("button", { name: "Send down…" }).click();
    const dialog = national.getByRole("dialog", { name: "Send down to communities below" });
    await dialog.getByRole("checkbox", { name: /Roma/ }).check();
    await dialog.getByRole("checkbox", { name: /Milano/ }).check();
    await screenshot(national, "library-02-send-down");
    await dialog.getByRole("button", { name: "Send to 2 communities" }).click();
    await dialog.waitFor({ state: "detached" });
    const tally = national.getByTestId("tally-counts");
    await expect.poll(() => tally.textContent()).toContain("2 received");
    await national.locator('tr[data-community="Roma"]').getByText("Received").waitFor();
    await national.locator('tr[data-community="Milano"]').getByText("Received").waitFor();
  });

  it("Roma adopts and adapts it; Milano reports an outcome; the sender's open page shows both", async () => {
    // Roma's editor, in Italian, on a phone.
    const roma = await signInAs("roma", { locale: "it", phone: true });
    await roma.goto(`${server.url}/communities/roma`);
    const entry = roma.locator(`li[data-item-title="${ACT}"]`);
    await entry.waitFor();
    await screenshot(roma, "library-03-inbox-phone-it");
    await entry.getByRole("button", { name: "Adotta e adatta" }).click();
    await roma.waitForURL(/\/edit$/);
    // National has no seat in Roma: the draft copy shows as being adapted, with no link to it yet.
    const romaRow = national.locator('tr[data-community="Roma"]');
    await romaRow.getByText("being adapted").waitFor();
    expect(await romaRow.getByRole("link").count()).toBe(0);
    const body = roma.getByLabel("Testo");
    await body.fill(
      `${await body.inputValue()}\n\n3. a coinvolgere i municipi di Roma nella scelta dei progetti.`,
    );
    await roma.getByRole("button", { name: "Pubblica" }).click();
    await roma.waitForURL(/\/library\/items\/[^/]+$/);
    await roma.getByText("Adattato da").waitFor();
    await roma.getByRole("link", { name: ACT }).first().waitFor();
    await roma.getByRole("button", { name: "Cosa è cambiato" }).click();
    await roma.locator(".lib-diff-added", { hasText: "municipi di Roma" }).waitFor();
    await screenshot(roma, "library-04-adapted-phone-it");

    const milano = await signInAs("milano");
    await milano.goto(`${server.url}/communities/milano`);
    const milanoEntry = milano.locator(`li[data-item-title="${ACT}"]`);
    await milanoEntry.getByRole("button", { name: "Report outcome" }).click();
    const outcome = milano.getByRole("dialog", { name: "How did it go?" });
    await outcome.getByRole("radio", { name: "Approved" }).check();
    await outcome.getByLabel("Date").fill("2026-03-12");
    await outcome.getByLabel("Short note").fill("Approvata all'unanimità in consiglio comunale.");
    await outcome.getByRole("button", { name: "Save outcome" }).click();
    await outcome.waitFor({ state: "detached" });
    await milanoEntry.getByText("Approved").waitFor();

    // The sender never reloaded: the tally arrived over the socket.
    expect(national.url()).toBe(actUrl);
    const tally = national.getByTestId("tally-counts");
    await expect.poll(() => tally.textContent()).toContain("1 adopted");
    await expect.poll(() => tally.textContent()).toContain("1 outcome reported");
    await expect.poll(() => tally.textContent()).toContain("2 received");
    await national.locator('tr[data-community="Roma"]').getByText("Adopted").waitFor();
    // Published, Roma's version opens for the sender.
    await national
      .locator('tr[data-community="Roma"]')
      .getByRole("link", { name: "their version" })
      .waitFor();
    await national.locator('tr[data-community="Milano"]').getByText("Approved").waitFor();
    await national.getByText("Approvata all'unanimità in consiglio comunale.").waitFor();
    // The family tree names Roma's adaptation.
    await national.locator(".lib-family").getByText("Roma").waitFor();
    await screenshot(national, "library-05-tally");
    await national.locator('tr[data-community="Roma"]').getByRole("link", { name: "their version" }).click();
    await national.getByText("Adapted from").waitFor();
    await national.locator(".lib-body", { hasText: "municipi di Roma" }).waitFor();
    await national.goBack();
  });

  it("the national editor follows a tag from an item and stops from the page the digest links to", async () => {
    await national.goto(actUrl);
    const follow = national.getByRole("button", { name: "Follow #bilancio" });
    await follow.click();
    await national.getByRole("button", { name: "Following #bilancio" }).waitFor();
    await screenshot(national, "library-09-follow-tag");
    await national.goto(`${server.url}/library/following`);
    await national.getByRole("heading", { name: "What you follow", level: 1 }).waitFor();
    const row = national.locator('li[data-follow="bilancio"]');
    await row.waitFor();
    await screenshot(national, "library-10-following");
    await row.getByRole("button", { name: "Stop following bilancio" }).click();
    await row.waitFor({ state: "detached" });
    await national.getByText("You follow nothing yet.").waitFor();
  });

  it("readers comment; an author removes their own comment and the act's editor moderates", async () => {
    // The organizer of the demo event, a reader here (Sara signs in later, for the board).
    const giulia = await signInAs("organizer", { locale: "it" });
    await giulia.goto(actUrl);
    const comments = giulia.locator(".lib-comments");
    const write = async (text: string) => {
      await comments.getByLabel("Aggiungi un commento").fill(text);
      const submit = comments.getByRole("button", { name: "Commenta" });
      await submit.click();
      await comments.getByText(text).waitFor();
      // The button stays busy until the list is fresh: a click before then is ignored.
      await expect.poll(() => submit.getAttribute("aria-disabled")).toBeNull();
    };
    await write("Lo proponiamo anche nel nostro comune.");
    await write("Scritto di fretta, lo tolgo.");
    await write("Offerta imperdibile: clicca qui!!!");
    // Her own comment: removed after a second click.
    const hasty = comments.locator("li", { hasText: "Scritto di fretta, lo tolgo." });
    await hasty.getByRole("button", { name: "Rimuovi il commento di Giulia Ferri" }).click();
    await hasty.getByText("Rimuovere il tuo commento?").waitFor();
    await hasty.getByRole("button", { name: "Rimuovi", exact: true }).click();
    await hasty.waitFor({ state: "detached" });

    // The act's editor (Italia's) moderates: she may remove anyone's comment there.
    await national.goto(actUrl);
    const moderated = national.locator(".lib-comments");
    await moderated.getByText("Offerta imperdibile: clicca qui!!!").waitFor();
    const spam = moderated.locator("li", { hasText: "Offerta imperdibile" });
    await spam.getByRole("button", { name: "Remove the comment by Giulia Ferri" }).click();
    await spam.getByText("Remove this comment by Giulia Ferri for everyone?").waitFor();
    await screenshot(national, "library-12-moderate-comment");
    await spam.getByRole("button", { name: "Remove", exact: true }).click();
    await spam.waitFor({ state: "detached" });
    await moderated.getByText("Lo proponiamo anche nel nostro comune.").waitFor();

    // Giulia's page, reloaded: the spam is gone for everyone.
    await giulia.reload();
    await comments.getByText("Lo proponiamo anche nel nostro comune.").waitFor();
    expect(await comments.getByText("Offerta imperdibile: clicca qui!!!").count()).toBe(0);
  });

  it("a facilitator publishes a board's results to the library and finds them by search", async () => {
    const facilitator = await signInAs("facilitator");
    await facilitator.goto(`${server.url}/e/${SLUG}`);
    await facilitator.getByRole("button", { name: "New board" }).click();
    await facilitator.getByLabel("Title").fill("Servizi digitali: da dove partire");
    await facilitator
      .getByLabel("Session", { exact: true })
      .selectOption({ label: "Tavoli tematici: servizi pubblici digitali" });
    await facilitator.getByRole("button", { name: "Create board" }).click();
    await facilitator.waitForURL(/\/boards\//);
    const boardUrl = facilitator.url();
    await facilitator.getByText("Live", { exact: true }).waitFor();

    const sara = await signInAs("attendee", { locale: "it" });
    await sara.goto(boardUrl);
    await sara.getByText("In diretta", { exact: true }).waitFor();
    const composer = sara.getByLabel(/^Nuova idea per/).first();
    await composer.fill("Sportello anagrafe su appuntamento online");
    await composer.press("Enter");
    await composer.fill("Wi-fi gratuito nelle biblioteche civiche");
    await composer.press("Enter");
    await facilitator.getByRole("article", { name: "Sportello anagrafe su appuntamento online" }).waitFor();

    await facilitator.getByRole("button", { name: "Start grouping" }).click();
    await facilitator.getByRole("button", { name: "Start voting" }).click();
    await facilitator.getByRole("button", { name: "Reveal the votes" }).waitFor();
    const idea = sara.getByRole("article", { name: "Sportello anagrafe su appuntamento online" });
    for (let i = 1; i <= 2; i++) {
      await idea.getByRole("button", { name: "Aggiungi un voto", exact: true }).click();
      await sara.getByText(`Ti restano ${5 - i} voti su 5`).waitFor();
    }
    await facilitator.getByRole("button", { name: "Reveal the votes" }).click();
    await facilitator.locator(".results-chart").waitFor();

    // One idea becomes a draft item, from its row of the results.
    await facilitator
      .getByRole("button", { name: "Make “Wi-fi gratuito nelle biblioteche civiche” a library item" })
      .click();
    const promote = facilitator.getByRole("dialog", { name: "Make this idea a library item" });
    await promote.getByLabel("Kind").selectOption({ label: "Practice" });
    await screenshot(facilitator, "library-06a-promote-idea");
    await promote.getByRole("button", { name: "Create the draft" }).click();
    await facilitator.getByText("Draft created in the library.").waitFor();

    await facilitator.getByRole("button", { name: "Publish results to the library" }).click();
    const dialog = facilitator.getByRole("dialog", { name: "Publish the results to the library" });
    await screenshot(facilitator, "library-06-publish-results");
    await dialog.getByRole("button", { name: "Publish" }).click();
    await facilitator.getByText("Published to the library.").waitFor();

    await facilitator.goto(`${server.url}/library`);
    await facilitator.getByRole("searchbox", { name: "Search the library" }).fill("sportello appuntamenti");
    await facilitator.getByRole("button", { name: "Search", exact: true }).click();
    const hit = facilitator
      .locator(".lib-result", { hasText: "Servizi digitali: da dove partire" })
      .filter({ hasText: "Session outcome" });
    await hit.waitFor();
    await screenshot(facilitator, "library-07-found");
    // The promoted idea's draft is found by its own words, marked as a draft (its author sees it).
    const search = facilitator.getByRole("searchbox", { name: "Search the library" });
    await search.fill("biblioteche");
    await facilitator.getByRole("button", { name: "Search", exact: true }).click();
    await facilitator
      .locator(".lib-result", { hasText: "Wi-fi gratuito nelle biblioteche civiche" })
      .getByText("Draft")
      .waitFor();
    await search.fill("sportello appuntamenti");
    await facilitator.getByRole("button", { name: "Search", exact: true }).click();
    await hit.waitFor();
    await hit.getByRole("link").first().click();
    // The ranking with its votes (first, with Sara's two), and the session it came from.
    const first = facilitator
      .getByRole("row", { name: /^1 Sportello anagrafe su appuntamento online\s+2\b/ })
      .first();
    await first.waitFor();
    expect(await facilitator.locator(".lib-body").textContent()).toContain(
      "Tavoli tematici: servizi pubblici digitali",
    );
    await screenshot(facilitator, "library-08-outcome-page");

    // The event names its community, whose page lists the event.
    await facilitator.goto(`${server.url}/e/${SLUG}`);
    const community = facilitator
      .locator(".event-facts")
      .getByRole("link", { name: "Tecnologie digitali per la partecipazione" });
    await community.click();
    await facilitator.waitForURL(/\/communities\/tecnologie-partecipazione$/);
    await facilitator
      .locator(".lib-events")
      .getByRole("link", { name: /Laboratorio di co-progettazione/ })
      .waitFor();
    await screenshot(facilitator, "library-11-community-events");
  });
});
