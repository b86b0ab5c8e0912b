// What the public sees (issue 3): the list of public events, upcoming and past, a page at a time,
// with unlisted and draft events left out; unlisted pages marked noindex for crawlers; the agenda
// with each session's sanitized description and speakers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventDetail, PublicEventsResponse } from "@convivio/protocol";
import { startTestServer, type TestClient, type TestServer } from "../test/harness.js";
import { DAY_MS, HOUR_MS, createEvent, localIn, signUpOrganizer, unique } from "../test/events.js";

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);

describe("public pages of events", () => {
  let server: TestServer;
  let organizer: TestClient;

  beforeAll(async () => {
    server = await startTestServer({ env: { AUTH_RATE_LIMIT: "1000" } });
    organizer = await signUpOrganizer(server);
  });
  afterAll(() => server.close());

  const day = (n: number) => Math.ceil((Date.now() + n * DAY_MS) / HOUR_MS) * HOUR_MS;
  const putCover = (slug: string) =>
    fetch(`${server.url}/api/events/${slug}/cover`, {
      method: "PUT",
      headers: { "content-type": "image/png", cookie: organizer.cookie! },
      body: PNG,
    });
  const list = async (query: string) => {
    const res = await server.client().get(`/api/events${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body as PublicEventsResponse;
  };

  it("lists public events only, upcoming soonest first and past latest first, a page at a time", async () => {
    const tag = unique();
    const make = (title: string, startsAt: number, visibility: "public" | "unlisted" | "draft", hours = 4) =>
      createEvent(organizer, { title: `${title} ${tag}`, startsAt, durationMs: hours * HOUR_MS, visibility });
    const later = await make("Later", day(20), "public");
    const soon = await make("Soon", day(3), "public");
    // Started two hours ago, ends in two: still upcoming, it is on right now.
    const ongoing = await make("Ongoing", Date.now() - 2 * HOUR_MS, "public");
    await make("Unlisted", day(5), "unlisted");
    await make("Draft", day(6), "draft");
    const lastWeek = await make("Last week", day(-7), "public");
    const lastMonth = await make("Last month", day(-30), "public");
    await make("Past unlisted", day(-3), "unlisted");
    await organizer.patch(`/api/events/${soon.slug}`, {
      description: "A day to **design together**.\n\n- Plenary\n- <script>x()</script>Tables & more",
    });

    const upcoming = await list("?limit=2");
    expect(upcoming.total).toBe(3);
    expect(upcoming.events.map((e) => e.slug)).toEqual([ongoing.slug, soon.slug]);
    expect(upcoming.events[1]).toMatchObject({
      title: `Soon ${tag}`,
      timeZone: "Europe/Rome",
      summary: "A day to design together. Plenary Tables & more",
      coverUrl: null,
      languages: ["it", "en"],
    });
    const second = await list("?limit=2&offset=2");
    expect(second.events.map((e) => e.slug)).toEqual([later.slug]);
    expect(second.total).toBe(3);

    const past = await list("?period=past");
    expect(past.events.map((e) => e.slug)).toEqual([lastWeek.slug, lastMonth.slug]);
    expect(past.total).toBe(2);
    const all = JSON.stringify([upcoming, second, past]);
    expect(all).not.toContain("Unlisted");
    expect(all).not.toContain("Draft");

    // A cover shows in the list; an event taken back to draft leaves it.
    expect((await putCover(later.slug)).status).toBe(204);
    await organizer.post(`/api/events/${soon.slug}/visibility`, { visibility: "draft" });
    const now = await list("");
    expect(now.events.map((e) => e.slug)).toEqual([ongoing.slug, later.slug]);
    expect(now.events[1]!.coverUrl).toMatch(new RegExp(`^/api/events/${later.slug}/cover\\?v=\\d+$`));

    for (const bad of ["?limit=0", "?limit=51", "?period=tomorrow", "?offset=-1", "?extra=1"]) {
      expect((await server.client().get(`/api/events${bad}`)).status, bad).toBe(400);
    }
  });

  it("tells crawlers not to index an unlisted event's page, session, form and cover; a public one is indexable", async () => {
    const unlisted = await createEvent(organizer, { visibility: "unlisted" });
    const open = await createEvent(organizer, { visibility: "public" });
    const addSession = async (event: EventDetail) => {
      const res = await organizer.post(`/api/events/${event.slug}/sessions`, {
        title: "Plenaria",
        kind: "plenary",
        startsAt: localIn("Europe/Rome", Date.parse(event.startsAt)),
        endsAt: localIn("Europe/Rome", Date.parse(event.startsAt) + HOUR_MS),
      });
      expect(res.status, res.text).toBe(201);
      return (res.body as { session: { id: string } }).session.id;
    };
    const paths = async (event: EventDetail) => {
      const sessionId = await addSession(event);
      expect((await putCover(event.slug)).status).toBe(204);
      return [
        `/api/events/${event.slug}`,
        `/api/events/${event.slug}/sessions/${sessionId}`,
        `/api/events/${event.slug}/registration`,
        `/api/events/${event.slug}/cover`,
      ];
    };
    for (const path of await paths(unlisted)) {
      const res = await server.client().get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("x-robots-tag"), path).toBe("noindex");
    }
    for (const path of await paths(open)) {
      const res = await server.client().get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("x-robots-tag"), path).toBeNull();
    }
  });

  it("shows each session's description as sanitized HTML and its speakers in the agenda", async () => {
    const event = await createEvent(organizer);
    const invited = await organizer.post(`/api/events/${event.slug}/team`, {
      email: `speaker-${unique()}@example.it`,
      name: "Sara Relatrice",
      role: "speaker",
    });
    const speakerId = (invited.body as { member: { userId: string } }).member.userId;
    const created = await organizer.post(`/api/events/${event.slug}/sessions`, {
      title: "Tavola rotonda",
      kind: "talk",
      description: "Con **ospiti** <img src=x onerror=alert(1)> [sito](javascript:alert(1))",
      startsAt: localIn("Europe/Rome", Date.parse(event.startsAt)),
      endsAt: localIn("Europe/Rome", Date.parse(event.startsAt) + HOUR_MS),
      speakerIds: [speakerId],
    });
    expect(created.status, created.text).toBe(201);
    const page = (await server.client().get(`/api/events/${event.slug}`)).body as EventDetail;
    const [session] = page.sessions;
    expect(session!.descriptionHtml).toContain("<strong>ospiti</strong>");
    expect(session!.descriptionHtml).not.toMatch(/onerror|javascript|<img/);
    expect(session!.speakers).toEqual([{ userId: speakerId, name: "Sara Relatrice" }]);
  });
});
