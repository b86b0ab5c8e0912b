// A move on two nodes (one PostgreSQL, one Redis): the person moved away from a table stops getting
// its board's live updates on whichever node their socket is, as the command ran on the other one
// (the Redis adapter carries the sockets' leaving of the board's rooms); the board keeps going for
// the people still seated there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BoardId, ColumnId } from "@convivio/protocol";
import { startTwoNodes, type TestServer, type TwoNodes } from "../test/harness.js";
import { BoardClient, eventually, type Person } from "../test/boards.js";
import { BreakoutTab, breakoutWorld, command, openParksAndSchools } from "../test/breakouts.js";

const IDEAS = "ideas" as ColumnId;

describe("a move on two nodes", () => {
  let cluster: TwoNodes;
  let nodes: [TestServer, TestServer];
  const closers: { close(): void }[] = [];

  beforeAll(async () => {
    cluster = await startTwoNodes();
    ({ nodes } = cluster);
  }, 120_000);
  afterAll(async () => {
    for (const c of closers) c.close();
    await cluster?.close();
  });

  const patchedIdeas = (client: BoardClient, boardId: string) =>
    client.patches
      .filter((p) => p.boardId === boardId)
      .flatMap((p) => p.changes.flatMap((c) => (c.type === "ideaUpserted" ? [c.idea.text] : [])));

  it("takes the moved person's socket on the other node off the old table board's updates", async () => {
    const [a, b] = nodes;
    const { w, lead } = await breakoutWorld(a, 2);
    const { sessionId } = w;
    const [anna, carla] = await Promise.all(
      w.participants.map(async (person, i) => {
        const tab = new BreakoutTab((i === 0 ? b : a).url, person);
        closers.push(tab);
        expect(await tab.join(sessionId)).toMatchObject({ ok: true });
        return tab;
      }),
    );
    const { parks, schools } = await openParksAndSchools(lead, sessionId);
    const move = (who: BreakoutTab, tableId: string) =>
      command(lead, { type: "move", sessionId, userId: who.person.userId, tableId });
    for (const who of [anna!, carla!]) expect((await move(who, parks!.id)).status).toBe(200);
    await eventually(() => {
      expect(anna!.seat?.id).toBe(parks!.id);
      expect(carla!.seat?.id).toBe(parks!.id);
    });
    // Anna follows the Parks board on node B, Carla on node A (where the commands run).
    const live = async (person: Person, node: TestServer) => {
      const client = new BoardClient(node.url, person, parks!.boardId! as BoardId);
      closers.push(client);
      await client.ready();
      expect(await client.join()).toMatchObject({ ok: true });
      return client;
    };
    const annaLive = await live(anna!.person, b);
    const carlaLive = await live(carla!.person, a);
    const propose = (text: string) => carlaLive.send({ type: "proposeIdea", columnId: IDEAS, text });
    expect(await propose("Benches in the park")).toMatchObject({ ok: true });
    await eventually(() => expect(patchedIdeas(annaLive, parks!.boardId!)).toEqual(["Benches in the park"]));

    expect((await move(anna!, schools!.id)).status).toBe(200);
    await eventually(() => expect(anna!.seat?.id).toBe(schools!.id));
    expect(await propose("A fountain")).toMatchObject({ ok: true });
    await eventually(() =>
      expect(patchedIdeas(carlaLive, parks!.boardId!)).toEqual(["Benches in the park", "A fountain"]),
    );
    // Node B learns of the commit by a nudge or its poll (up to a second): leave it time to send.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(patchedIdeas(annaLive, parks!.boardId!)).toEqual(["Benches in the park"]);
    expect((await command(lead, { type: "closeAll", sessionId, countdownMs: 0 })).status).toBe(200);
  }, 60_000);
});
