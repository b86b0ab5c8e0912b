// Issue 2 acceptance: sign up as an organizer, sign out, sign in; ask for a magic link, open it
// from the outbox, land signed in; switch language. In the real browser against the built server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startServerProcess, type ServerProcess } from "../support/server.js";
import { firstLink, launchBrowser, screenshot, waitForMail } from "../support/browser.js";

const PASSWORD = "una frase lunga e segreta";

describe("accounts in the browser", () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerProcess();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    expect(await server?.stop()).toBe(0);
  });

  async function newPage(locale: string): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    return context.newPage();
  }

  it("signs up as an organizer, signs out and signs in again", async () => {
    const page = await newPage("en-GB");
    await page.goto(`${server.url}/sign-up`);
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    await page.getByLabel("Full name").fill("Giulia Ferri");
    await page.getByLabel("Email address").fill("giulia@comune.example.it");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await screenshot(page, "auth-01-sign-up");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Your events" }).waitFor();
    await screenshot(page, "auth-02-dashboard");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.goto(`${server.url}/dashboard`);
    await page.waitForURL(/\/sign-in/);

    await page.getByLabel("Email address").fill("giulia@comune.example.it");
    await page.getByLabel("Password", { exact: true }).fill("not the right one at all");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect.poll(() => page.getByRole("alert").first().textContent()).toBeTruthy();
    await screenshot(page, "auth-03-wrong-password");

    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("heading", { name: "Your events" }).waitFor();
    expect(page.url()).toContain("/dashboard");
    await page.context().close();
  });

  it("asks for a magic link, opens it from the outbox and lands signed in", async () => {
    const page = await newPage("en-GB");
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole("tab", { name: "Email me a sign-in link" }).click();
    await page.getByLabel("Email address").fill("sara@example.org");
    await page.getByRole("button", { name: "Email me a link" }).click();
    await page.getByText("sara@example.org").first().waitFor();
    await screenshot(page, "auth-04-check-inbox");

    const mail = await waitForMail(server.url, "sara@example.org");
    const link = firstLink(mail.text);
    expect(new URL(link).pathname).toBe("/auth/magic");

    const other = await newPage("en-GB");
    await other.goto(link);
    await other.getByRole("heading", { name: "Your events" }).waitFor();
    await other.getByText("Loading…").waitFor({ state: "hidden" });
    await screenshot(other, "auth-05-magic-landing");
    const me = await other.evaluate(async () => (await fetch("/api/me")).json());
    expect(me).toMatchObject({ user: { email: "sara@example.org", hasPassword: false } });

    // The same link a second time is refused, and the page says so.
    const third = await newPage("en-GB");
    await third.goto(link);
    await third
      .getByText(/already been used|already used/i)
      .first()
      .waitFor();
    await screenshot(third, "auth-06-magic-used");
    await Promise.all([page.context().close(), other.context().close(), third.context().close()]);
  });

  it("switches language, and the choice sticks", async () => {
    const page = await newPage("en-GB");
    await page.goto(`${server.url}/`);
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    await page.getByLabel("Lingua / Language").selectOption("it");
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("it");
    await page.getByRole("link", { name: "Accedi" }).first().waitFor();
    await screenshot(page, "auth-07-home-italian");
    await page.reload();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("it");
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole("heading", { name: "Accedi a Convivio" }).waitFor();
    await page.context().close();
  });
});
