import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../test/harness.js";
import { startSmtpCatcher, type SmtpCatcher } from "../test/smtp.js";

describe("email over SMTP", () => {
  let smtp: SmtpCatcher;
  let server: TestServer;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    server = await startTestServer({
      env: { SMTP_URL: smtp.url, MAIL_FROM: "Convivio <hello@convivio.test>" },
    });
  });
  afterAll(async () => {
    await server.close();
    await smtp.close();
  });

  it("delivers a magic link in the recipient's language, as text and HTML", async () => {
    const res = await server
      .client()
      .post("/api/auth/magic-link", { email: "lucia@example.it", name: "Lucia", locale: "it" });
    expect(res.status).toBe(202);
    await expect.poll(() => smtp.received.length, { timeout: 5000 }).toBe(1);
    const mail = smtp.received[0]!;
    expect(mail.from?.text).toContain("hello@convivio.test");
    expect(mail.subject).toBe("Il tuo link di accesso a Convivio");
    expect(mail.text).toContain("Ciao Lucia");
    const link = /https?:\/\/\S+\/auth\/magic\?token=[\w-]{43}/.exec(mail.text ?? "")?.[0];
    expect(link).toBeDefined();
    expect(mail.html).toContain(link!.replace(/&/g, "&amp;"));

    const token = new URL(link!).searchParams.get("token");
    const browser = server.client();
    expect((await browser.post("/api/auth/magic-link/consume", { token })).status).toBe(200);
    expect((await browser.get("/api/me")).body).toMatchObject({ user: { name: "Lucia" } });
  });

  it("writes nothing to the dev outbox when SMTP is configured", async () => {
    const res = await server.client().get("/api/dev/outbox");
    expect((res.body as { messages: unknown[] }).messages).toEqual([]);
  });
});
