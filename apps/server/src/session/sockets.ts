// The live session's socket events: the edge of its command path, built like the board's
// (boards/sockets.ts). Every payload is parsed with its protocol schema first, then rate-limited
// per person, then authorized; every handler is wrapped so a hostile or broken message gets
// `{ok:false, code}` (or nothing, without an ack function) and never an exception; a socket that
// keeps sending refused messages is disconnected. Acks that report a change come after its commit.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import {
  ChatDelete,
  ChatJoin,
  ChatLeave,
  ChatSend,
  ErrorCode,
  HandLower,
  HandRaise,
  HandStage,
  SESSION_LIMITS,
  SessionErrorCode,
  SessionJoin,
  SessionLeave,
  type SessionAckCode,
  type SessionRole,
} from "@convivio/protocol";
import type { LiveServer } from "../live/socket.js";
import type { LiveSocket } from "../boards/hub.js";
import type { TokenBuckets } from "../boards/rateLimiter.js";
import { isStorable } from "../http/storable.js";
import { findSession, sessionRoleIn } from "./access.js";
import { chatHistory, deleteChatMessage, storeChatMessage } from "./chat.js";
import { bringOnStage, listHands, raiseHand, removeHand } from "./hands.js";
import { liveStateOf } from "./lifecycle.js";
import { participantsOf, sessionRoom, tableChatRoom, type PresenceAnnouncer } from "./presence.js";
import type { SessionService } from "./service.js";

/** Refused messages (invalid or rate-limited) a socket may send per window before it is cut off. */
export const STRIKE_LIMIT = 100;
const STRIKE_WINDOW_MS = 10_000;

export interface SessionSocketDeps {
  service: SessionService;
  presence: PresenceAnnouncer;
  /** Every session event, per person. */
  limiter: TokenBuckets;
  /** Chat messages, per person (tighter). */
  chatLimiter: TokenBuckets;
  logger: Logger;
  now?: () => number;
}

type Ack = { ok: true } | { ok: false; code: SessionAckCode } | Record<string, unknown>;
type Reply = (ack: Ack) => void;
type Handler = (payload: unknown, reply: Reply) => Promise<void>;

export function attachSessionSockets(io: LiveServer, deps: SessionSocketDeps): void {
  const { service, presence, limiter, chatLimiter, logger } = deps;
  const { db, clock } = service.deps;
  const now = deps.now ?? Date.now;

  io.on("connection", (socket: LiveSocket) => {
    const user = socket.data.actor.user;
    /** Table chats this socket follows, as `sessionId/tableId`. */
    const tableChats = new Set<string>();
    let strikes = 0;
    let strikesSince = now();

    const joined = (): Record<string, SessionRole> => (socket.data.sessions ??= {});
    const roleIn = (sessionId: string): SessionRole | undefined => socket.data.sessions?.[sessionId];

    const strike = () => {
      const at = now();
      if (at - strikesSince > STRIKE_WINDOW_MS) {
        strikes = 0;
        strikesSince = at;
      }
      if (++strikes > STRIKE_LIMIT) {
        logger.warn({ userId: user.id }, "socket flooding refused session messages; disconnected");
        socket.disconnect(true);
      }
    };

    const refuse = (reply: Reply, code: SessionAckCode) => {
      if (code === ErrorCode.validationFailed || code === ErrorCode.rateLimited) strike();
      reply({ ok: false, code });
    };

    const listen = (event: string, handler: Handler) => {
      // Raw listener: a hostile client may send any arguments, or none, with or without an ack.
      (socket as unknown as { on(event: string, fn: (...args: unknown[]) => void): void }).on(
        event,
        (...args: unknown[]) => {
          const last = args.at(-1);
          const ack = typeof last === "function" ? (last as Reply) : undefined;
          const payload = ack && args.length === 1 ? undefined : args[0];
          let answered = false;
          const reply: Reply = (answer) => {
            if (answered || !ack) return;
            answered = true;
            try {
              ack(answer);
            } catch (err) {
              logger.warn({ err, event }, "session ack failed");
            }
          };
          handler(payload, reply).catch((err: unknown) => {
            logger.error({ err, event, userId: user.id }, "session socket handler failed");
            reply({ ok: false, code: ErrorCode.internal });
          });
        },
      );
    };

    /** A participant may act only while the session is live; facilitators also before and after. */
    const isOpenTo = async (sessionId: string, role: SessionRole) =>
      role === "facilitator" || (await liveStateOf(db, sessionId)).status === "live";

    const mayUseTable = async (sessionId: string, tableId: string, role: SessionRole) => {
      if (!service.tableAccess) return ErrorCode.tableChatUnavailable;
      if (role === "facilitator") return true;
      return (await service.tableAccess(sessionId, tableId, user.id)) ? true : ErrorCode.forbidden;
    };

    const leaveSession = (sessionId: string) => {
      if (!roleIn(sessionId)) return;
      delete joined()[sessionId];
      void socket.leave(sessionRoom(sessionId));
      for (const key of [...tableChats]) {
        const [session, table] = key.split("/");
        if (session !== sessionId || !table) continue;
        tableChats.delete(key);
        void socket.leave(tableChatRoom(sessionId, table));
      }
      presence.changed(sessionId);
    };

    listen("session:join", async (payload, reply) => {
      const parsed = SessionJoin.safeParse(payload);
      if (!parsed.success) return refuse(reply, ErrorCode.validationFailed);
      if (!limiter.take(user.id)) return refuse(reply, ErrorCode.rateLimited);
      const { sessionId } = parsed.data;
      if (!roleIn(sessionId) && Object.keys(joined()).length >= SESSION_LIMITS.maxSessionsPerSocket) {
        return refuse(reply, SessionErrorCode.limitReached);
      }
      const found = await findSession(db, sessionId);
      if (!found) return refuse(reply, ErrorCode.notFound);
      // A join always looks the role up again, so a changed role takes effect on the next join.
      const role = await sessionRoleIn(db, found.event, user.id);
      if (!role) {
        return refuse(reply, found.event.visibility === "draft" ? ErrorCode.notFound : ErrorCode.forbidden);
      }
      const state = await liveStateOf(db, sessionId);
      if (role !== "facilitator" && state.status !== "live") return refuse(reply, ErrorCode.sessionNotLive);
      joined()[sessionId] = role;
      await socket.join(sessionRoom(sessionId));
      const [participants, hands, chat] = await Promise.all([
        participantsOf(io, sessionId),
        listHands(db, sessionId),
        chatHistory(db, sessionId, null, SESSION_LIMITS.chatHistoryLength),
      ]);
      presence.changed(sessionId);
      reply({ ok: true, role, state, participants, hands, chat });
    });

    listen("session:leave", async (payload) => {
      const parsed = SessionLeave.safeParse(payload);
      if (!parsed.success) return strike();
      leaveSession(parsed.data.sessionId);
    });

    listen("hand:raise", async (payload, reply) => {
      const parsed = HandRaise.safeParse(payload);
      if (!parsed.success) return refuse(reply, ErrorCode.validationFailed);
      if (!limiter.take(user.id)) return refuse(reply, ErrorCode.rateLimited);
      const { sessionId } = parsed.data;
      if (!roleIn(sessionId)) return refuse(reply, SessionErrorCode.notJoined);
      if ((await liveStateOf(db, sessionId)).status !== "live") {
        return refuse(reply, ErrorCode.sessionNotLive);
      }
      const raised = await raiseHand(db, sessionId, user.id, clock.now());
      reply({ ok: true });
      if (raised) await service.announceHands(sessionId);
    });

    listen("hand:lower", async (payload, reply) => {
      const parsed = HandLower.safeParse(payload);
      if (!parsed.success) return refuse(reply, ErrorCode.validationFailed);
      if (!limiter.take(user.id)) return refuse(reply, ErrorCode.rateLimited);
      const { sessionId } = parsed.data;
      const role = roleIn(sessionId);
      if (!role) return refuse(reply, SessionErrorCode.notJoined);
      const target = parsed.data.userId ?? user.id;
      if (target !== user.id && role !== "facilitator") return refuse(reply, ErrorCode.forbidden);
      const removed = await removeHand(db, sessionId, target);
      reply({ ok: true });
      if (!removed) return;
      if (removed.wasOnStage) await service.setStage(sessionId, target, false);
      await service.announceHands(sessionId);
    });

    listen("hand:stage", async (payload, reply) => {
      const parsed = HandStage.safeParse(payload);
      if (!parsed.success) return refuse(reply, ErrorCode.validationFailed);
      if (!limiter.take(user.id)) return refuse(reply, ErrorCode.rateLimited);
      const { sessionId, userId, onStage } = parsed.data;
      const role = roleIn(sessionId);
      if (!role) return refuse(reply, SessionErrorCode.notJoined);
      if (role !== "facilitator") return refuse(reply, ErrorCode.forbidden);
      if (onStage) {
        if ((await liveStateOf(db, sessionId)).status !== "live") {
          return refuse(reply, ErrorCode.sessionNotLive);
        }
        if (!(await bringOnStage(db, sessionId, userId, clock.now()))) {
          return refuse(reply, ErrorCode.notFound);
        }
      } else if (!(await removeHand(db, sessionId, userId))) {
        return refuse(reply, ErrorCode.notFound);
      }
      await service.setStage(sessionId, userId, onStage);
      reply({ ok: true });
      await service.announceHands(sessionId);
    });

    listen("chat:join", async (payload, reply) => {
      const parsed = ChatJoin.safeParse(payload);
      if (!parsed.success) return refuse(reply, ErrorCode.validationFailed);
      if (!limiter.take(user.id)) return refuse(reply, ErrorCode.rateLimited);
      const { sessionId, tableId } = parsed.data;
      const role = roleIn(sessionId);
      if (!role) return refuse(reply, SessionErrorCode.notJoined);
      if (tableId !== null) {
        const key = `${sessionId}/${tableId}`;
        if (!tableChats.has(key) && tableChats.size >= SESSION_LIMITS.maxTableChatsPerSocket) {
          return refuse(reply, SessionErrorCode.limitReached);
        }
        const allowed = await mayUseTable(sessionId, tableId, role);
        if (allowed !== true) return refuse(reply, allowed);
        tableChats.add(key);
        await socket.join(tableChatRoom(sessionId, tableId));
      }
      reply({
        ok: true,
        messages: await chatHistory(db, sessionId, tableId, SESSION_LIMITS.chatHistoryLength),
      });
    });

    listen("chat:leave", async (payload) => {
      const parsed = ChatLeave.safeParse(payload);
      if (!parsed.success) return strike();
      const { sessionId, tableId } = parsed.data;
      if (tableId === null) return;
      tableChats.delete(`${sessionId}/${tableId}`);
      await socket.leave(tableChatRoom(sessionId, tableId));
    });

    listen("chat:send", async (payload, reply) => {
      const parsed = ChatSend.safeParse(payload);
      if (!parsed.success || !isStorable(parsed.data)) return refuse(reply, ErrorCode.validationFailed);
      if (!chatLimiter.take(user.id)) return refuse(reply, ErrorCode.rateLimited);
      const { sessionId, tableId, clientOpId, text } = parsed.data;
      const role = roleIn(sessionId);
      if (!role) return refuse(reply, SessionErrorCode.notJoined);
      if (!(await isOpenTo(sessionId, role))) return refuse(reply, ErrorCode.sessionNotLive);
      if (tableId !== null) {
        if (!tableChats.has(`${sessionId}/${tableId}`)) return refuse(reply, SessionErrorCode.notJoined);
        const allowed = await mayUseTable(sessionId, tableId, role);
        if (allowed !== true) return refuse(reply, allowed);
      }
      const stored = await storeChatMessage(db, {
        id: randomUUID(),
        sessionId,
        tableId,
        author: { id: user.id, name: user.name },
        clientOpId,
        text,
        now: clock.now(),
      });
      if (stored === "conflict") return refuse(reply, ErrorCode.conflict);
      // The row is committed: answer, then tell the room (a retry is answered, not re-announced).
      reply({ ok: true, message: stored.message });
      if (stored.fresh) {
        const room = tableId === null ? sessionRoom(sessionId) : tableChatRoom(sessionId, tableId);
        io.to(room).emit("chat:message", stored.message);
      }
    });

    listen("chat:delete", async (payload, reply) => {
      const parsed = ChatDelete.safeParse(payload);
      if (!parsed.success) return refuse(reply, ErrorCode.validationFailed);
      if (!limiter.take(user.id)) return refuse(reply, ErrorCode.rateLimited);
      const { sessionId, tableId, messageId } = parsed.data;
      const role = roleIn(sessionId);
      if (!role) return refuse(reply, SessionErrorCode.notJoined);
      if (role !== "facilitator") return refuse(reply, ErrorCode.forbidden);
      const deleted = await deleteChatMessage(db, {
        sessionId,
        tableId,
        messageId,
        by: user.id,
        now: clock.now(),
      });
      if (!deleted) return refuse(reply, ErrorCode.notFound);
      reply({ ok: true });
      if (deleted.fresh) {
        const room = tableId === null ? sessionRoom(sessionId) : tableChatRoom(sessionId, tableId);
        io.to(room).emit("chat:deleted", {
          sessionId: sessionId as never,
          tableId,
          messageId,
          deletedAt: deleted.deletedAt.toISOString(),
          deletedBy: deleted.deletedBy,
        });
      }
    });

    socket.on("disconnect", () => {
      for (const sessionId of Object.keys(socket.data.sessions ?? {})) presence.changed(sessionId);
    });
  });
}
