// Issue 5 (attendance report) in the browser, against the built server with its demo event. No
// LiveKit server can run here, so the server is configured with LiveKit keys and an address where
// nothing listens, and attendance arrives the way LiveKit sends it: webhooks signed with the real
// SDK, posted to POST /api/livekit/webhook (joins and leaves at two breakout tables and the plenary).
// The organizer's console shows the event and session tables with minutes per table, labelled by
// number and topic, and downloads the CSV. A second server with LiveKit unset says plainly that
// video is not configured, so there is no attendance.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccessToken } from "livekit-server-sdk";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { freePort, startServerProcess, type ServerProcess } from "../support/server.js";
import { launchBrowser, screenshot } from "../support/browser.js";

const SLUG = "laboratorio-partecipazione-digitale";
const API_KEY = "devkey";
const API_SECRET = "an-e2e-secret-of-at-least-32-characters";
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

interface Session {
  id: string;
  title: string;
}

function demoLink(server: ServerProcess, label: string): string {
  const match = new RegExp(`Sign in as ${label}\\s+(\\S+)`).exec(server.output());
  if (!match?.[1]) throw new Error(`no sign-in link for ${label} in:\n${server.output()}`);
  return match[1];
}

async function signInAs(
  browser: Browser,
  server: ServerProcess,
  label: string,
  options: { locale: "en" | "it"; phone?: boolean },
  contexts: BrowserContext[],
): Promise<Page> {
  const context = await browser.newContext({
    locale: options.locale === "it" ? "it-IT" : "en-GB",
    viewport: options.phone ? PHONE : DESKTOP,
    ...(options.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  await context.addInitScript(
    (locale) => window.localStorage.setItem("convivio.locale", locale),
    options.locale,
  );
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(demoLink(server, label));
  await page.waitForURL(/\/dashboard/);
  return page;
}

describe("the attendance report in the organizer's console", () => {
  let server: ServerProcess;
  let browser: Browser;
  let organizer: Page;
  const contexts: BrowserContext[] = [];
  let session: Session;
  let tables: { id: string; number: number; topic: string }[];

  /** A visit to a room, `from` to `to` minutes after `t0`, as LiveKit's signed webhooks report it. */
  async function visit(room: string, identity: string, t0: number, from: number, to: number) {
    const sid = `PA_${identity.slice(0, 8)}_${room.length}_${from}`;
    for (const [event, minute] of [
      ["participant_joined", from],
      ["participant_left", to],
    ] as const) {
      const raw = JSON.stringify({
        id: `EV_${sid}_${event}`,
        event,
        createdAt: t0 + minute * 60,
        room: { name: room },
        participant: { identity, sid },
      });
      const token = new AccessToken(API_KEY, API_SECRET);
      token.sha256 = createHash("sha256").update(raw).digest("base64");
      const res = await fetch(`${server.url}/api/livekit/webhook`, {
        method: "POST",
        headers: { "content-type": "application/webhook+json", authorization: await token.toJwt() },
        body: raw,
      });
      expect(res.status, await res.text()).toBe(200);
    }
  }

  beforeAll(async () => {
    // LiveKit "configured" at an address where nothing listens: webhooks verify with these keys,
    // and nothing in this test needs the room API.
    const nowhere = await freePort();
    server = await startServerProcess({
      args: ["--demo"],
      env: {
        AUTH_RATE_LIMIT: "1000",
        LIVEKIT_URL: `ws://127.0.0.1:${nowhere}`,
        LIVEKIT_API_KEY: API_KEY,
        LIVEKIT_API_SECRET: API_SECRET,
      },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    expect(await server?.stop()).toBe(0);
  });

  it("records a plenary and two tables from signed webhooks", async () => {
    organizer = await signInAs(browser, server, "organizer", { locale: "en" }, contexts);
    // Exports are written in the account's language (as the language switcher sets it), like the
    // registrations export; the demo organizer's account is in Italian.
    expect((await organizer.request.patch(`${server.url}/api/me`, { data: { locale: "en" } })).status()).toBe(
      200,
    );
    const attendee = await signInAs(browser, server, "attendee", { locale: "it" }, contexts);
    const attendeeId = (
      (await (await attendee.request.get(`${server.url}/api/me`)).json()) as { user: { id: string } }
    ).user.id;
    const organizerId = (
      (await (await organizer.request.get(`${server.url}/api/me`)).json()) as { user: { id: string } }
    ).user.id;
    const event = (await (await organizer.request.get(`${server.url}/api/events/${SLUG}`)).json()) as {
      sessions: Session[];
    };
    session = event.sessions[0]!;
    expect((await organizer.request.post(`${server.url}/api/sessions/${session.id}/start`)).status()).toBe(
      200,
    );
    const opened = await organizer.request.post(
      `${server.url}/api/sessions/${session.id}/breakouts/commands`,
      {
        data: {
          type: "open",
          sessionId: session.id,
          by: { count: 2 },
          strategy: "topic",
          tables: [{ topic: "Mobilità sostenibile" }, { topic: "Scuola e quartiere" }],
        },
      },
    );
    expect(opened.status(), await opened.text()).toBe(200);
    const overview = (await (
      await organizer.request.get(`${server.url}/api/sessions/${session.id}/breakouts/overview`)
    ).json()) as { tables: { id: string; number: number; topic: string }[] };
    tables = [...overview.tables].sort((a, b) => a.number - b.number);
    expect(tables.map((t) => t.topic)).toEqual(["Mobilità sostenibile", "Scuola e quartiere"]);

    const t0 = Math.floor(Date.now() / 1000) - 3 * 3600;
    const plenary = `convivio.s.${session.id}`;
    const table = (i: number) => `convivio.s.${session.id}.t.${tables[i]!.id}`;
    // Sara: plenary 10 min, table 1 for 15, table 2 for 5, plenary again for 10. Giulia: the plenary, 40.
    await visit(plenary, attendeeId, t0, 0, 10);
    await visit(table(0), attendeeId, t0, 10, 25);
    await visit(table(1), attendeeId, t0, 25, 30);
    await visit(plenary, attendeeId, t0, 30, 40);
    await visit(plenary, organizerId, t0, 0, 40);
  });

  it("shows the whole event and one session with minutes per table, and downloads the CSV", async () => {
    await organizer.goto(`${server.url}/manage/${SLUG}`);
    await organizer.getByRole("link", { name: "Attendance", exact: true }).click();
    await organizer.waitForURL(/\/attendance$/);
    const eventCard = organizer.getByRole("region", { name: "Whole event" });
    await eventCard.getByRole("columnheader", { name: "Table 1 · Mobilità sostenibile" }).waitFor();
    await eventCard.getByRole("columnheader", { name: "Table 2 · Scuola e quartiere" }).waitFor();
    const saraRow = eventCard.getByRole("row", { name: /Sara Conti/ });
    // Whole event, session total, plenary, table 1, table 2.
    expect(await saraRow.getByRole("cell").allTextContents()).toEqual(["40", "40", "20", "15", "5"]);

    const sessionCard = organizer.getByRole("region", { name: "By session" });
    const sessionRow = sessionCard.getByRole("row", { name: /Sara Conti/ });
    await sessionRow.waitFor();
    // Visits, minutes, plenary, table 1, table 2, then first in and last out.
    expect((await sessionRow.getByRole("cell").allTextContents()).slice(0, 5)).toEqual([
      "4",
      "40",
      "20",
      "15",
      "5",
    ]);
    await screenshot(organizer, "attendance-01-console");

    const [download] = await Promise.all([
      organizer.waitForEvent("download"),
      eventCard.getByRole("link", { name: /Download CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${SLUG}-attendance.csv`);
    const csv = await readFile((await download.path())!, "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [header, ...rows] = csv.slice(1).split("\r\n");
    expect(header).toContain(`${session.title} — Table 1 · Mobilità sostenibile (min)`);
    expect(rows.find((r) => r.startsWith("Sara Conti,"))).toMatch(/^Sara Conti,[^,]+,40,40,20,15,5$/);

    const [sessionDownload] = await Promise.all([
      organizer.waitForEvent("download"),
      sessionCard.getByRole("link", { name: /Download CSV/ }).click(),
    ]);
    const sessionCsv = await readFile((await sessionDownload.path())!, "utf8");
    expect(sessionCsv).toContain(
      "Plenary (min),Table 1 · Mobilità sostenibile (min),Table 2 · Scuola e quartiere (min)",
    );
  });

  it("reads in Italian on a phone", async () => {
    // The demo's sign-in links work once: the phone borrows the organizer's session.
    const context = await browser.newContext({
      storageState: await organizer.context().storageState(),
      locale: "it-IT",
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    contexts.push(context);
    await context.addInitScript(() => window.localStorage.setItem("convivio.locale", "it"));
    const phone = await context.newPage();
    await phone.goto(`${server.url}/manage/${SLUG}/attendance`);
    const eventCard = phone.getByRole("region", { name: "Tutto l'evento" });
    await eventCard.getByRole("columnheader", { name: "Tavolo 1 · Mobilità sostenibile" }).waitFor();
    await phone
      .getByRole("region", { name: "Per sessione" })
      .getByRole("row", { name: /Sara Conti/ })
      .waitFor();
    await screenshot(phone, "attendance-02-phone-it");
  });

  it("pauses the plenary's video while a facilitator visits a table, and ends the visit when tables close", async () => {
    await organizer.goto(`${server.url}/e/${SLUG}/s/${session.id}/live`);
    const paused = organizer.getByRole("heading", {
      name: "The plenary's video is paused while you visit a table",
    });
    await organizer.getByRole("heading", { name: "Breakout tables" }).waitFor();
    await organizer.getByRole("button", { name: "Join", exact: true }).first().click();
    const visiting = organizer.getByRole("heading", { name: /^You are visiting Table 1/ });
    await visiting.waitFor();
    // One room at a time: the plenary's stage has left its room, so its sound cannot mix with the table's.
    await paused.waitFor();
    await screenshot(organizer, "attendance-04-visit-pauses-plenary");
    await organizer.getByRole("button", { name: "Leave the table" }).click();
    await paused.waitFor({ state: "detached" });

    await organizer.getByRole("button", { name: "Join", exact: true }).first().click();
    await paused.waitFor();
    const closed = await organizer.request.post(
      `${server.url}/api/sessions/${session.id}/breakouts/commands`,
      {
        data: { type: "closeAll", sessionId: session.id, countdownMs: 0 },
      },
    );
    expect(closed.status(), await closed.text()).toBe(200);
    await visiting.waitFor({ state: "detached" });
    await paused.waitFor({ state: "detached" });
  });
});

describe("the attendance page with LiveKit unset", () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServerProcess({ args: ["--demo"], env: { AUTH_RATE_LIMIT: "1000" } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    expect(await server?.stop()).toBe(0);
  });

  it("says plainly that video is not configured, so there is no attendance", async () => {
    const organizer = await signInAs(browser, server, "organizer", { locale: "en" }, contexts);
    await organizer.goto(`${server.url}/manage/${SLUG}/attendance`);
    await organizer
      .getByRole("heading", {
        name: "Video is not configured on this server, so there is no attendance to show",
      })
      .waitFor();
    expect(await organizer.getByRole("table").count()).toBe(0);
    await screenshot(organizer, "attendance-03-video-off");
  });
});
