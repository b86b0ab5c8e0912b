import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenVerifier } from "livekit-server-sdk";
import type { EventRole } from "@convivio/protocol";
import { grantsFor, type RoomKind } from "./grants.js";
import { MEDIA_TOKEN_TTL_SECONDS, mintMediaToken, type LiveKitConfig } from "./tokens.js";
import { createLiveKitRooms } from "./rooms.js";
import { startLiveKitStandIn, type LiveKitStandIn } from "../test/liveKitStandIn.js";

const config: LiveKitConfig = {
  url: "wss://media.example.org",
  apiKey: "devkey",
  apiSecret: "a-secret-of-at-least-32-characters!!",
};
const verifier = new TokenVerifier(config.apiKey, config.apiSecret);
const person = { id: "3b1f2c1e-7c55-4c61-9d54-1f7a1c2e0a11", name: "Sara Conti" };

async function decode(
  roles: EventRole[],
  roomKind: RoomKind,
  extra: { onStage?: boolean; hidden?: boolean } = {},
) {
  const minted = await mintMediaToken(config, person, {
    room: `room-${roomKind}`,
    roomKind,
    roles,
    ...extra,
  });
  if (!minted) return null;
  return { minted, claims: await verifier.verify(minted.token) };
}

describe("media tokens, checked with the SDK's verifier", () => {
  const cases: [
    string,
    EventRole[],
    RoomKind,
    { onStage?: boolean; hidden?: boolean },
    { canPublish: boolean; hidden?: boolean } | null,
  ][] = [
    ["an attendee watches the plenary", ["attendee"], "plenary", {}, { canPublish: false }],
    [
      "an attendee brought on stage speaks in the plenary",
      ["attendee"],
      "plenary",
      { onStage: true },
      { canPublish: true },
    ],
    ["a speaker speaks in the plenary", ["speaker"], "plenary", {}, { canPublish: true }],
    ["a facilitator speaks in the plenary", ["facilitator"], "plenary", {}, { canPublish: true }],
    ["an organizer speaks in the plenary", ["organizer"], "plenary", {}, { canPublish: true }],
    ["an attendee talks at a table", ["attendee"], "table", {}, { canPublish: true }],
    ["a facilitator talks at a table", ["facilitator"], "table", {}, { canPublish: true }],
    [
      "a facilitator listens in hidden",
      ["facilitator"],
      "table",
      { hidden: true },
      { canPublish: false, hidden: true },
    ],
    ["an attendee may not hide", ["attendee"], "table", { hidden: true }, null],
    ["someone with no role in the event gets nothing", [], "plenary", {}, null],
  ];

  it.each(cases)("%s", async (_name, roles, kind, extra, expected) => {
    const decoded = await decode(roles, kind, extra);
    if (expected === null) {
      expect(decoded).toBeNull();
      return;
    }
    const { claims, minted } = decoded!;
    expect(claims.sub).toBe(person.id);
    expect(claims.name).toBe(person.name);
    expect(claims.video).toMatchObject({
      roomJoin: true,
      room: `room-${kind}`,
      canSubscribe: true,
      canPublish: expected.canPublish,
    });
    expect(claims.video?.canPublishData).toBe(expected.canPublish);
    expect(Boolean(claims.video?.hidden)).toBe(Boolean(expected.hidden));
    expect(claims.video?.roomAdmin).toBeUndefined();
    expect(claims.video?.roomCreate).toBeUndefined();
    const lifetime = (claims.exp ?? 0) - (claims.nbf ?? Math.floor(Date.now() / 1000));
    expect(lifetime).toBeLessThanOrEqual(MEDIA_TOKEN_TTL_SECONDS);
    expect(minted.url).toBe(config.url);
  });

  it("a token is for one room only", () => {
    expect(grantsFor({ room: "a", roomKind: "table", roles: ["attendee"] })?.room).toBe("a");
  });

  it("a token signed with another secret does not verify", async () => {
    const forged = await mintMediaToken(
      { ...config, apiSecret: "another-secret-of-32-characters!!!!" },
      person,
      {
        room: "r",
        roomKind: "table",
        roles: ["attendee"],
      },
    );
    await expect(verifier.verify(forged!.token)).rejects.toThrow();
  });
});

describe("room control against a LiveKit stand-in (Twirp room API with grant checks)", () => {
  let standIn: LiveKitStandIn;
  beforeAll(async () => {
    standIn = await startLiveKitStandIn(config.apiKey, config.apiSecret);
  });
  afterAll(() => standIn.close());

  it("creates rooms on demand with limits, idempotently, and closes them", async () => {
    const rooms = createLiveKitRooms({ ...config, url: standIn.url });
    await rooms.ensureRoom("evt:plenary", "plenary");
    await rooms.ensureRoom("evt:table:1", "table");
    await rooms.ensureRoom("evt:table:1", "table");
    expect([...standIn.rooms.keys()].sort()).toEqual(["evt:plenary", "evt:table:1"]);
    expect(standIn.rooms.get("evt:table:1")).toMatchObject({ max_participants: 30, empty_timeout: 300 });
    await rooms.closeRoom("evt:table:1");
    await rooms.closeRoom("evt:table:1");
    expect([...standIn.rooms.keys()]).toEqual(["evt:plenary"]);
  });

  it("brings a participant on stage and back by changing their permissions", async () => {
    const rooms = createLiveKitRooms({ ...config, url: standIn.url });
    await rooms.ensureRoom("evt:stage", "plenary");
    standIn.addParticipant("evt:stage", person.id);
    expect(await rooms.listParticipants("evt:stage")).toEqual([person.id]);
    await rooms.setCanPublish("evt:stage", person.id, true);
    expect(standIn.rooms.get("evt:stage")!.participants.get(person.id)!.permission).toMatchObject({
      canPublish: true,
    });
    await rooms.setCanPublish("evt:stage", person.id, false);
    expect(standIn.rooms.get("evt:stage")!.participants.get(person.id)!.permission).toMatchObject({
      canPublish: false,
    });
  });

  it("is refused with the wrong API secret", async () => {
    const rooms = createLiveKitRooms({
      ...config,
      url: standIn.url,
      apiSecret: "wrong-secret-wrong-secret-wrong!!!",
    });
    await expect(rooms.ensureRoom("evt:nope", "table")).rejects.toThrow();
    expect(standIn.rooms.has("evt:nope")).toBe(false);
  });
});
