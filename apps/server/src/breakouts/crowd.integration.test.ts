// Breakout tables with 60 real socket.io clients against the LiveKit STAND-IN (a Twirp stand-in for
// a LiveKit server, see test/liveKitStandIn.ts): ten tables open, every client is told its table and
// gets a real token for that table's room (checked with the SDK's TokenVerifier), people propose
// and vote at their tables, a latecomer is seated, the round's timer warns and then brings everyone
// back, the rooms are deleted, and the roll-up reveals each table's votes (hidden until then, in the
// facilitators' overview too) and puts each table's top ideas on the plenary board with their table
// marked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenVerifier } from "livekit-server-sdk";
import { breakoutRollups, eq } from "@convivio/db";
import { rankedIdeas } from "@convivio/board";
import type { IdeaId } from "@convivio/protocol";
import { startTestServer, type TestServer } from "../test/harness.js";
import { startLiveKitStandIn, type LiveKitStandIn } from "../test/liveKitStandIn.js";
import { eventually, type BoardWorld } from "../test/boards.js";
import { BreakoutTab, breakoutWorld, clientOf } from "../test/breakouts.js";
import { MEDIA_TOKEN_TTL_SECONDS } from "../media/tokens.js";
import { tableRoom } from "../media/roomNames.js";

const API_KEY = "stand-in-key";
const API_SECRET = "stand-in-secret-that-is-long-enough-for-hs256";
const PEOPLE = 60;
const TABLES = 10;
const ACK_TIMEOUT_MS = 30_000;

let standIn: LiveKitStandIn;
let server: TestServer;
let world: BoardWorld;
const all: BreakoutTab[] = [];

beforeAll(async () => {
  standIn = await startLiveKitStandIn(API_KEY, API_SECRET);
  server = await startTestServer({
    env: { LIVEKIT_URL: standIn.url, LIVEKIT_API_KEY: API_KEY, LIVEKIT_API_SECRET: API_SECRET },
  });
  // Started by its facilitator (breakoutWorld refuses anything but a 200).
  ({ w: world } = await breakoutWorld(server, PEOPLE + 1));
}, 120_000);

afterAll(async () => {
  for (const client of all) client.close();
  await server?.close();
  await standIn?.close();
});

const verifier = new TokenVerifier(API_KEY, API_SECRET);

describe("60 people at 10 tables (stand-in LiveKit)", () => {
  it("opens tables, seats everyone with a token for their room, brings them back on time, rolls up", async () => {
    const { sessionId } = world;
    const facilitator = new BreakoutTab(server.url, world.facilitator, ACK_TIMEOUT_MS);
    all.push(facilitator);
    expect(await facilitator.join(sessionId)).toMatchObject({ ok: true });
    const people = world.participants
      .slice(0, PEOPLE)
      .map((p) => new BreakoutTab(server.url, p, ACK_TIMEOUT_MS));
    all.push(...people);
    const joins = await Promise.all(people.map((p) => p.join(sessionId)));
    for (const ack of joins)
      expect(ack).toMatchObject({ ok: true, breakout: { assignment: { table: null } } });

    // An attendee may not open tables; the facilitator may.
    expect(
      await people[0]!.command({ type: "open", sessionId, by: { count: TABLES }, strategy: "random" }),
    ).toEqual({
      ok: false,
      code: "forbidden",
    });
    const opened = await facilitator.command({
      type: "open",
      sessionId,
      by: { count: TABLES },
      strategy: "random",
      seed: 1234,
    });
    expect(opened).toMatchObject({ ok: true });

    // Every client hears where it sits, with a real token for that table's room and nothing else.
    await eventually(() => {
      for (const p of people) expect(p.assignment?.table).toBeTruthy();
    }, 30_000);
    const byTable = new Map<string, BreakoutTab[]>();
    for (const p of people) {
      const seat = p.assignment!;
      expect(seat.reason).toBe("opened");
      const room = tableRoom(sessionId, seat.table!.id);
      expect(seat.table!.room).toBe(room);
      expect(seat.media).not.toBeNull();
      const claims = await verifier.verify(seat.media!.token);
      expect(claims.sub).toBe(p.person.userId);
      expect(claims.video).toMatchObject({ room, roomJoin: true, canPublish: true, canSubscribe: true });
      expect(claims.video?.roomAdmin).toBeFalsy();
      expect(claims.video?.hidden).toBeFalsy();
      expect(claims.exp! - claims.nbf!).toBeLessThanOrEqual(MEDIA_TOKEN_TTL_SECONDS);
      byTable.set(seat.table!.id, [...(byTable.get(seat.table!.id) ?? []), p]);
    }
    expect(byTable.size).toBe(TABLES);
    for (const members of byTable.values()) expect(members).toHaveLength(PEOPLE / TABLES);
    for (const tableId of byTable.keys()) expect(standIn.rooms.has(tableRoom(sessionId, tableId))).toBe(true);

    // A latecomer sits down at once, at a least-full table.
    const late = new BreakoutTab(server.url, world.participants[PEOPLE]!, ACK_TIMEOUT_MS);
    all.push(late);
    const lateAck = await late.join(sessionId);
    if (!lateAck.ok) throw new Error(lateAck.code);
    expect(lateAck.breakout.assignment).toMatchObject({
      reason: "latecomer",
      table: { id: expect.any(String) },
    });
    expect(lateAck.breakout.assignment.media).not.toBeNull();

    // The media-token route: one's own table yes, another table no.
    const rest = clientOf(server, people[0]!.person);
    const own = people[0]!.assignment!.table!;
    const other = [...byTable.keys()].find((id) => id !== own.id)!;
    expect((await rest.post(`/api/sessions/${sessionId}/media-token`, { tableId: own.id })).status).toBe(200);
    expect((await rest.post(`/api/sessions/${sessionId}/media-token`, { tableId: other })).status).toBe(403);
    expect(
      (await rest.post(`/api/sessions/${sessionId}/media-token`, { tableId: own.id, hidden: true })).status,
    ).toBe(403);
    // A facilitator visits any table, hidden.
    const visit = await facilitator.command({ type: "visit", sessionId, tableId: other, hidden: true });
    if (!visit.ok) throw new Error(visit.code);
    const visitClaims = await verifier.verify(visit.media!.token);
    expect(visitClaims.video).toMatchObject({
      room: tableRoom(sessionId, other),
      hidden: true,
      canPublish: false,
    });

    // At each table everyone proposes an idea on the table's board; then they vote.
    await Promise.all(
      people.map(async (p, i) => {
        const ack = await p.board({
          type: "proposeIdea",
          boardId: p.assignment!.table!.boardId,
          columnId: "ideas",
          text: `Idea ${i} from table ${p.assignment!.table!.number}`,
        });
        expect(ack).toMatchObject({ ok: true });
      }),
    );
    for (const tableId of byTable.keys()) {
      const boardId = byTable.get(tableId)![0]!.assignment!.table!.boardId;
      expect(await facilitator.board({ type: "setPhase", boardId, phase: "vote" })).toMatchObject({
        ok: true,
      });
    }
    // Everyone votes for the idea of the table's first member; two of them also for the second's.
    const expectedTop = new Map<string, string[]>();
    const boardOf = new Map<string, string>();
    for (const [tableId, members] of byTable) {
      const boardId = members[0]!.assignment!.table!.boardId!;
      boardOf.set(tableId, boardId);
      const loaded = await server.boards.store.load(boardId);
      const ideaOf = (who: BreakoutTab) =>
        Object.values(loaded!.state.ideas).find((idea) => idea.authorId === who.person.userId)!;
      const first = ideaOf(members[0]!);
      const second = ideaOf(members[1]!);
      expectedTop.set(tableId, [first.text, second.text]);
      await Promise.all(
        members.map(async (m, k) => {
          expect(await m.board({ type: "castVote", boardId, ideaId: first.id as IdeaId })).toMatchObject({
            ok: true,
          });
          if (k < 2)
            expect(await m.board({ type: "castVote", boardId, ideaId: second.id as IdeaId })).toMatchObject({
              ok: true,
            });
        }),
      );
    }

    // The facilitators' overview: who sits where since when, and the boards' activity.
    const lead = clientOf(server, world.facilitator);
    // The tables' votes are hidden until their reveal (the default settings), so the overview
    // carries no count, not even to facilitators (invariant 7, SPEC B23).
    type Overview = {
      tables: { id: string; people: { userId: string }[]; ideas: number; votes: number | null }[];
    };
    const overviewNow = async () =>
      (await lead.get(`/api/sessions/${sessionId}/breakouts/overview`)).body as Overview;
    const overview = await overviewNow();
    expect(overview.tables).toHaveLength(TABLES);
    expect(overview.tables.reduce((sum, t) => sum + t.people.length, 0)).toBe(PEOPLE + 1);
    for (const t of overview.tables) {
      const seated = byTable.get(t.id)!.length;
      expect(t.ideas).toBe(seated);
      expect(t.votes).toBeNull();
    }
    expect((await rest.get(`/api/sessions/${sessionId}/breakouts/overview`)).status).toBe(403);

    // A short round: the warning reaches everyone, then the timer brings everyone back.
    expect(await facilitator.command({ type: "start", sessionId, durationMs: 2_000 })).toEqual({ ok: true });
    await eventually(() => {
      for (const p of [...people, late]) expect(p.assignment?.table).toBeNull();
    }, 60_000);
    for (const p of people) {
      expect(p.notices.some((n) => n.kind === "warning")).toBe(true);
      expect(p.assignment!.reason).toBe("returned");
    }
    const deleted = standIn.calls.filter((c) => c.method === "DeleteRoom").map((c) => c.body.room);
    for (const tableId of byTable.keys()) expect(deleted).toContain(tableRoom(sessionId, tableId));

    // Roll-up: each table's top two ideas land on the plenary board, marked with their table. It
    // publishes the tables' results, so each table board is revealed first (through the board's
    // command path), and only then do the counts show, in the overview too.
    const rolled = await facilitator.command({ type: "rollUp", sessionId, top: 2 });
    expect(rolled).toEqual({ ok: true, boardId: world.boardId, ideas: TABLES * 2 });
    for (const [tableId, boardId] of boardOf)
      expect((await server.boards.store.load(boardId))!.state.phase, tableId).toBe("reveal");
    for (const t of (await overviewNow()).tables) expect(t.votes).toBe(byTable.get(t.id)!.length + 2);
    const plenary = (await server.boards.store.load(world.boardId))!.state;
    const ideas = rankedIdeas(plenary).map(({ idea }) => idea);
    expect(ideas).toHaveLength(TABLES * 2);
    for (const top of expectedTop.values()) {
      for (const text of top) {
        const copy = ideas.find((idea) => idea.text === text);
        expect(copy, text).toBeDefined();
        // The origin line is in the event's language (Italian here).
        expect(copy!.details).toMatch(/^Tavolo \d+$/);
      }
    }
    const origins = await server.database.db
      .select()
      .from(breakoutRollups)
      .where(eq(breakoutRollups.plenaryBoardId, world.boardId));
    expect(origins).toHaveLength(TABLES * 2);
    for (const origin of origins) {
      const copy = plenary.ideas[origin.plenaryIdeaId as IdeaId]!;
      const top = expectedTop.get(origin.tableId)!;
      expect(top).toContain(copy.text);
      expect(origin.votes).toBe(copy.text === top[0] ? PEOPLE / TABLES : 2);
    }
    // Rolling up again adds nothing twice.
    expect(await facilitator.command({ type: "rollUp", sessionId, top: 2 })).toMatchObject({
      ok: true,
      ideas: 0,
    });
  }, 150_000);
});
