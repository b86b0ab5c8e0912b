// Issue 4 acceptance in the browser: a facilitator and two participants (separate browser
// contexts, one on a phone) on one live board: propose, merge, group, vote with secret votes,
// reveal, export. Against the built server with its demo event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { startServerProcess, type ServerProcess } from "../support/server.js";
import { launchBrowser, screenshot } from "../support/browser.js";

const SLUG = "laboratorio-partecipazione-digitale";
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const IDEAS = {
  queues: "Long queues at the registry office",
  queuesAgain: "Queues at the registry office are too long",
  online: "Book appointments online",
  wifi: "Free wi-fi in the library",
};

describe("the live board in the browser", () => {
  let server: ServerProcess;
  let browser: Browser;
  let facilitator: Page;
  let sara: Page; // the demo attendee, in Italian
  let luca: Page; // a registered participant, on a phone
  let boardUrl: string;
  const contexts: BrowserContext[] = [];

  /** The magic sign-in link the demo seed printed for one of its people. */
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
    // Demo people's accounts are in Italian; a choice made on the device wins over the account.
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

  const card = (page: Page, text: string): Locator => page.getByRole("article", { name: text });

  beforeAll(async () => {
    server = await startServerProcess({ args: ["--demo"], env: { AUTH_RATE_LIMIT: "1000" } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    expect(await server?.stop()).toBe(0);
  });

  it("a facilitator opens a board for a session from the event page", async () => {
    facilitator = await signInAs("facilitator", { locale: "en" });
    await facilitator.goto(`${server.url}/e/${SLUG}`);
    await facilitator.getByRole("heading", { name: "Idea boards" }).waitFor();
    await facilitator.getByRole("button", { name: "New board" }).click();
    await facilitator.getByLabel("Title").fill("Public services: where do we start?");
    await facilitator
      .getByLabel("Session", { exact: true })
      .selectOption({ label: "Tavoli tematici: servizi pubblici digitali" });
    await facilitator.getByLabel("Columns").fill("Problems\nIdeas");
    await screenshot(facilitator, "board-01-create");
    await facilitator.getByRole("button", { name: "Create board" }).click();
    await facilitator.waitForURL(/\/boards\//);
    boardUrl = facilitator.url();
    await facilitator.getByRole("heading", { name: "Public services: where do we start?" }).waitFor();
    await facilitator.getByText("Live", { exact: true }).waitFor();
    await facilitator.getByText("Facilitator tools").waitFor();
  });

  it("two participants propose ideas and everyone sees them live", async () => {
    sara = await signInAs("attendee", { locale: "it" });

    // A second participant: an account of their own, registered for the event by the organizer.
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
    const organizer = await signInAs("organizer", { locale: "en" });
    const added = await organizer.request.post(`${server.url}/api/events/${SLUG}/registrations`, {
      data: { name: "Luca Bianchi", email: "luca@example.org", notify: false },
    });
    expect(added.status(), await added.text()).toBeLessThan(300);
    await organizer.context().close();

    await sara.goto(boardUrl);
    await sara.getByText("In diretta", { exact: true }).waitFor();
    await luca.goto(boardUrl);
    await luca.getByText("Live", { exact: true }).waitFor();

    await sara.getByLabel("Nuova idea per «Problems»").fill(IDEAS.queues);
    await sara.getByLabel("Nuova idea per «Problems»").press("Enter");
    await card(sara, IDEAS.queues).waitFor();

    // On the phone the columns scroll sideways; the composer of the first one is in view.
    await luca.getByLabel("New idea for “Problems”").fill(IDEAS.queuesAgain);
    await luca.getByRole("button", { name: "Add", exact: true }).first().click();
    await luca.getByLabel("New idea for “Ideas”").fill(IDEAS.online);
    await luca.getByLabel("New idea for “Ideas”").press("Enter");
    await facilitator.getByLabel("New idea for “Ideas”").fill(IDEAS.wifi);
    await facilitator.getByLabel("New idea for “Ideas”").press("Enter");

    // Everyone sees everyone's ideas, within a tick or two.
    for (const page of [facilitator, sara, luca]) {
      for (const text of Object.values(IDEAS)) await card(page, text).waitFor();
    }
    await expect.poll(() => sara.locator(".presence").textContent()).toContain("3");
    // Sara's own idea is marked as hers, and she can add details to it in place.
    await card(sara, IDEAS.queues).getByText("Tua").waitFor();
    await card(sara, IDEAS.queues)
      .getByRole("button", { name: /^Azioni per/ })
      .click();
    await sara.getByRole("menuitem", { name: "Modifica" }).click();
    await card(sara, IDEAS.queues)
      .getByLabel("Dettagli (facoltativi)")
      .fill("Soprattutto il lunedì mattina.");
    await card(sara, IDEAS.queues).getByRole("button", { name: "Salva" }).click();
    await card(luca, IDEAS.queues).getByText("Soprattutto il lunedì mattina.").waitFor();
    await screenshot(facilitator, "board-02-collect-desktop");
    await screenshot(luca, "board-03-collect-phone");
  });

  it("participants comment and react; the facilitator hides an idea, locks the board and sees the settings", async () => {
    // Luca (on the phone) comments on Sara's idea and agrees with it.
    const sarasIdea = card(luca, IDEAS.queues);
    await sarasIdea.getByRole("button", { name: "Comment" }).click();
    await sarasIdea.getByLabel("Your comment").fill("Saturday mornings are the worst.");
    await sarasIdea.getByRole("button", { name: "Send" }).click();
    await sarasIdea.getByText("Saturday mornings are the worst.").waitFor();
    await sarasIdea.getByRole("button", { name: "Add a reaction" }).click();
    await luca.getByRole("menuitemcheckbox", { name: "Agree" }).click();
    await sarasIdea.getByRole("button", { name: "Agree: 1" }).waitFor();
    await card(sara, IDEAS.queues).getByRole("button", { name: "1 commento" }).click();
    await card(sara, IDEAS.queues).getByText("Saturday mornings are the worst.").waitFor();
    await card(sara, IDEAS.queues).getByRole("button", { name: "D'accordo: 1" }).waitFor();
    await screenshot(luca, "board-03b-comments-phone");

    // An off-topic idea: the facilitator hides it with a reason; participants no longer get it.
    await luca.getByLabel("New idea for “Ideas”").fill("Buy my used bicycle, cheap!");
    await luca.getByLabel("New idea for “Ideas”").press("Enter");
    const spam = card(facilitator, "Buy my used bicycle, cheap!");
    await spam.getByRole("button", { name: /^Actions for/ }).click();
    await facilitator.getByRole("menuitem", { name: "Hide…" }).click();
    const hide = facilitator.getByRole("dialog", { name: "Hide this idea" });
    await hide.getByLabel("Reason").fill("Off topic: adverts go elsewhere.");
    await hide.getByRole("button", { name: "Hide" }).click();
    await spam.getByText("Off topic: adverts go elsewhere.").waitFor();
    await card(luca, "Buy my used bicycle, cheap!").waitFor({ state: "detached" });
    await card(sara, "Buy my used bicycle, cheap!").waitFor({ state: "detached" });
    await screenshot(facilitator, "board-03c-moderation");

    // Locked: nobody can add anything until it is unlocked.
    await facilitator.getByRole("button", { name: "Lock", exact: true }).click();
    await sara.getByText("Bloccata", { exact: true }).waitFor();
    expect(await sara.getByLabel("Nuova idea per «Problems»").count()).toBe(0);
    await screenshot(sara, "board-03d-locked-it");
    await facilitator.getByRole("button", { name: "Unlock", exact: true }).click();
    await sara.getByLabel("Nuova idea per «Problems»").waitFor();

    await facilitator.getByRole("button", { name: "Settings" }).click();
    const settings = facilitator.getByRole("dialog", { name: "Board settings" });
    await settings.getByLabel("Votes per person").waitFor();
    await screenshot(facilitator, "board-03e-settings");
    await settings.getByRole("button", { name: "Cancel" }).click();
    await settings.waitFor({ state: "detached" });
  });

  it("the facilitator merges a duplicate by drag and drop and groups an idea from the keyboard", async () => {
    await facilitator.getByRole("button", { name: "Start grouping" }).click();
    await facilitator.getByRole("heading", { name: "Groups" }).waitFor();
    await sara.getByText("Raggruppamento", { exact: true }).first().waitFor();

    // Drag the duplicate onto the original: a dialog confirms the merge.
    await card(facilitator, IDEAS.queuesAgain).dragTo(card(facilitator, IDEAS.queues));
    const merge = facilitator.getByRole("dialog", { name: "Merge ideas" });
    await merge.waitFor();
    await expect.poll(() => merge.getByRole("radio", { name: IDEAS.queues }).isChecked()).toBe(true);
    await screenshot(facilitator, "board-04-merge-dialog");
    await merge.getByRole("button", { name: "Merge" }).click();
    await card(facilitator, IDEAS.queuesAgain).waitFor({ state: "detached" });
    await card(facilitator, IDEAS.queues).getByText("+1 merged").waitFor();
    await card(luca, IDEAS.queuesAgain).waitFor({ state: "detached" });

    // The keyboard way: the card's menu, "Move to group…", a new group.
    const menuButton = card(facilitator, IDEAS.online).getByRole("button", { name: /^Actions for/ });
    await menuButton.focus();
    await facilitator.keyboard.press("Enter");
    await facilitator.getByRole("menuitem", { name: "Move to group…" }).waitFor();
    const focused = () => facilitator.evaluate(() => document.activeElement?.textContent);
    for (let step = 0; step < 6 && (await focused()) !== "Move to group…"; step++) {
      await facilitator.keyboard.press("ArrowDown");
    }
    expect(await focused()).toBe("Move to group…");
    await facilitator.keyboard.press("Enter");
    const group = facilitator.getByRole("dialog", { name: "Move to a group" });
    await group.getByRole("radio", { name: "A new group" }).check();
    await group.getByLabel("New group title").fill("Access to services");
    await facilitator.keyboard.press("Enter");
    await group.waitFor({ state: "detached" });
    // The idea now sits in its group's section, for everyone.
    await facilitator
      .getByRole("region", { name: "Group: Access to services" })
      .getByRole("article", { name: IDEAS.online })
      .waitFor();
    await sara
      .getByRole("region", { name: "Gruppo: Access to services" })
      .getByRole("article", { name: IDEAS.online })
      .waitFor();
    await screenshot(facilitator, "board-05-grouped-desktop");
  });

  it("participants vote within their budget, and nobody sees anyone else's votes before the reveal", async () => {
    await facilitator.getByRole("button", { name: "Start voting" }).click();
    // As a person would: the timer is set once the board shows the vote phase.
    await facilitator.getByRole("button", { name: "Reveal the votes" }).waitFor();
    await facilitator.getByRole("button", { name: "5 min" }).click();
    await facilitator.getByRole("timer").waitFor();
    await sara.getByRole("timer").waitFor();
    // Pause, resume and a minute more: everyone's countdown follows.
    await facilitator.getByRole("button", { name: "Pause" }).click();
    await sara.getByRole("timer").getByText("in pausa").waitFor();
    await facilitator.getByRole("button", { name: "Resume" }).click();
    await facilitator.getByRole("button", { name: "Pause" }).waitFor();
    await facilitator.getByRole("button", { name: "+1 min" }).click();
    await expect
      .poll(() => sara.getByRole("timer").locator(".countdown-time").textContent())
      .toMatch(/^5:[45]\d$/);

    const addVote = (page: Page, text: string, name: string) =>
      card(page, text).getByRole("button", { name, exact: true });

    // Sara puts three votes on one idea: the cap. A fourth is not offered.
    for (let i = 1; i <= 3; i++) {
      await addVote(sara, IDEAS.queues, "Aggiungi un voto").click();
      await sara.getByText(`Ti restano ${5 - i} voti su 5`).waitFor();
    }
    expect(await addVote(sara, IDEAS.queues, "Aggiungi un voto").getAttribute("aria-disabled")).toBe("true");

    for (let i = 0; i < 2; i++) {
      await addVote(luca, IDEAS.online, "Add a vote").click();
      await luca.getByText(`${4 - i} of 5 votes left`).waitFor();
    }
    await addVote(luca, IDEAS.queues, "Add a vote").click();
    await luca.getByText("2 of 5 votes left").waitFor();
    // Changed his mind about one vote: take it back.
    await card(luca, IDEAS.online).getByRole("button", { name: "Take back a vote" }).click();
    await luca.getByText("3 of 5 votes left").waitFor();
    await addVote(luca, IDEAS.online, "Add a vote").click();
    await luca.getByText("2 of 5 votes left").waitFor();

    // Secret ballot: no totals anywhere, facilitators included.
    for (const page of [facilitator, sara, luca]) {
      expect(await page.locator(".vote-total").count()).toBe(0);
      expect(await page.getByRole("button", { name: /^(Results|Risultati)$/ }).count()).toBe(0);
    }
    await screenshot(sara, "board-06-vote-desktop-it");
    await screenshot(luca, "board-07-vote-phone");
    await screenshot(facilitator, "board-08-vote-facilitator");
  });

  it("keeps a vote made while offline and sends it once the connection is back", async () => {
    await sara.context().setOffline(true);
    await sara.getByText("Non in linea", { exact: true }).waitFor();
    await card(sara, IDEAS.wifi).getByRole("button", { name: "Aggiungi un voto", exact: true }).click();
    await sara.getByText("1 modifica in attesa di invio").waitFor();
    await screenshot(sara, "board-09-offline");
    await sara.context().setOffline(false);
    await sara.getByText("In diretta", { exact: true }).waitFor({ timeout: 30_000 });
    await sara.getByText("Ti resta 1 voto su 5").waitFor();
  });

  it("the reveal shows the ranking to everyone, and the results download as CSV, JSON and Markdown", async () => {
    await facilitator.getByRole("button", { name: "Reveal the votes" }).click();
    for (const page of [facilitator, sara, luca]) await page.locator(".results-chart").waitFor();

    const ranking = async (page: Page) =>
      page
        .locator(".results-chart .result")
        .evaluateAll((rows) =>
          rows.map((row) => [
            row.querySelector(".result-text")?.lastChild?.textContent?.trim(),
            row.querySelector(".result-votes")?.textContent?.trim(),
          ]),
        );
    // 3 (Sara) + 1 (Luca) on the merged idea, 2 on booking online, 1 on wi-fi.
    expect((await ranking(facilitator)).slice(0, 3)).toEqual([
      [IDEAS.queues, "4 votes"],
      [IDEAS.online, "2 votes"],
      [IDEAS.wifi, "1 vote"],
    ]);
    expect((await ranking(sara))[0]).toEqual([IDEAS.queues, "4 voti"]);
    await screenshot(facilitator, "board-10-results-desktop");
    await screenshot(luca, "board-11-results-phone");

    const [csv] = await Promise.all([
      facilitator.waitForEvent("download"),
      facilitator.getByRole("link", { name: "CSV" }).click(),
    ]);
    const csvText = await streamText(await csv.createReadStream());
    expect(csvText.split("\r\n")[1]).toContain(IDEAS.queues);
    expect(csvText).toContain(",4,");

    const json = await facilitator.request.get(`${server.url}/api/boards/${boardIdOf(boardUrl)}/export.json`);
    expect(json.status()).toBe(200);
    expect(JSON.stringify(await json.json())).toContain(IDEAS.online);
    const markdown = await sara.request.get(`${server.url}/api/boards/${boardIdOf(boardUrl)}/export.md`);
    expect(await markdown.text()).toContain("Book appointments online");

    // The board view, ranked, on the phone.
    await luca.getByRole("button", { name: "Board", exact: true }).click();
    await card(luca, IDEAS.queues).getByText("4 votes").waitFor();
    await screenshot(luca, "board-12-revealed-board-phone");

    await facilitator.setViewportSize(PHONE);
    await facilitator.getByRole("button", { name: "Board", exact: true }).click();
    await screenshot(facilitator, "board-13-facilitator-phone");

    // The same board in the dark, for people whose system asks for it.
    await facilitator.setViewportSize(DESKTOP);
    await facilitator.emulateMedia({ colorScheme: "dark" });
    await screenshot(facilitator, "board-14-dark");
  });
});

function boardIdOf(url: string): string {
  const id = /\/boards\/([0-9a-f-]{36})/.exec(url)?.[1];
  if (!id) throw new Error(`no board id in ${url}`);
  return id;
}

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
