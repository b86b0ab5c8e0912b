// A STAND-IN for a LiveKit server's room API (no LiveKit server can be installed here): it speaks
// the same Twirp JSON wire format (POST /twirp/livekit.RoomService/<Method>, Bearer JWT) and checks
// each call's grants the way LiveKit does, so the real SDK can be exercised end to end. Methods:
// CreateRoom, DeleteRoom (roomCreate), ListParticipants, UpdateParticipant, RemoveParticipant
// (roomAdmin for that room); anything else is `unimplemented`. Participants exist only when a test
// adds them (no media flows here).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TokenVerifier, type ClaimGrants } from "livekit-server-sdk";

interface StandInRoom {
  name: string;
  empty_timeout: number;
  max_participants: number;
  participants: Map<string, { identity: string; permission: Record<string, unknown> }>;
}

export interface LiveKitStandIn {
  url: string;
  rooms: Map<string, StandInRoom>;
  calls: { method: string; body: Record<string, unknown> }[];
  addParticipant(room: string, identity: string): void;
  close(): Promise<void>;
}

const NEEDS_CREATE = new Set(["CreateRoom", "DeleteRoom"]);
const NEEDS_LIST = new Set(["ListRooms"]);

function allowed(method: string, grants: ClaimGrants, body: Record<string, unknown>): boolean {
  const video = grants.video ?? {};
  if (NEEDS_CREATE.has(method)) return video.roomCreate === true;
  if (NEEDS_LIST.has(method)) return video.roomList === true;
  return video.roomAdmin === true && video.room === body.room;
}

export async function startLiveKitStandIn(apiKey: string, apiSecret: string): Promise<LiveKitStandIn> {
  const verifier = new TokenVerifier(apiKey, apiSecret);
  const rooms = new Map<string, StandInRoom>();
  const calls: LiveKitStandIn["calls"] = [];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const send = (status: number, payload: unknown) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(payload));
        };
        const match = /^\/twirp\/livekit\.RoomService\/(\w+)$/.exec(req.url ?? "");
        if (req.method !== "POST" || !match) return send(404, { code: "bad_route", msg: "no such method" });
        const method = match[1]!;
        const body = JSON.parse(Buffer.concat(chunks).toString() || "{}") as Record<string, unknown>;
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
        let grants: ClaimGrants;
        try {
          grants = await verifier.verify(bearer ?? "");
        } catch {
          return send(401, { code: "unauthenticated", msg: "invalid token" });
        }
        if (!allowed(method, grants, body))
          return send(401, { code: "unauthenticated", msg: "permissions denied" });
        calls.push({ method, body });
        const roomName = String(body.room ?? body.name ?? "");
        const room = rooms.get(roomName);
        switch (method) {
          case "CreateRoom": {
            const existing =
              room ??
              ({
                name: roomName,
                empty_timeout: Number(body.emptyTimeout ?? 0),
                max_participants: Number(body.maxParticipants ?? 0),
                participants: new Map(),
              } satisfies StandInRoom);
            rooms.set(roomName, existing);
            return send(200, {
              name: existing.name,
              empty_timeout: existing.empty_timeout,
              max_participants: existing.max_participants,
            });
          }
          case "DeleteRoom":
            if (!room) return send(404, { code: "not_found", msg: "room not found" });
            rooms.delete(roomName);
            return send(200, {});
          case "ListParticipants":
            return send(200, {
              participants: [...(room?.participants.values() ?? [])].map((p) => ({ identity: p.identity })),
            });
          case "RemoveParticipant": {
            // As LiveKit: the participant leaves the room (its connection is closed); someone who
            // is not there is `not_found`. The request (with its revokeTokenTs) is in `calls`.
            const participant = room?.participants.get(String(body.identity));
            if (!participant) return send(404, { code: "not_found", msg: "participant not found" });
            room!.participants.delete(participant.identity);
            return send(200, {});
          }
          case "UpdateParticipant": {
            const participant = room?.participants.get(String(body.identity));
            if (!participant) return send(404, { code: "not_found", msg: "participant not found" });
            // Protobuf JSON leaves out fields at their default, so a missing boolean is false.
            const sent = (body.permission as Record<string, unknown>) ?? {};
            participant.permission = Object.fromEntries(
              ["canPublish", "canSubscribe", "canPublishData", "hidden"].map((k) => [k, sent[k] === true]),
            );
            return send(200, { identity: participant.identity, permission: participant.permission });
          }
          default:
            return send(501, { code: "unimplemented", msg: `${method} is not in the stand-in` });
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    rooms,
    calls,
    addParticipant(roomName, identity) {
      rooms.get(roomName)?.participants.set(identity, { identity, permission: {} });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
