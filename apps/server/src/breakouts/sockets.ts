// The breakouts' socket events: the edge. Every payload is parsed with its protocol schema, then
// rate-limited per person, then authorized by session role in the service; every handler is wrapped
// so a hostile or broken message gets `{ok:false, code}` (or nothing without an ack function) and
// never an exception. As on the board and session sockets, a socket that keeps sending refused
// messages (invalid or rate-limited) is disconnected.
import type { Logger } from "pino";
import {
  BreakoutCommand,
  BreakoutJoin,
  ErrorCode,
  type BreakoutAck,
  type BreakoutJoinAck,
} from "@convivio/protocol";
import type { LiveServer } from "../live/socket.js";
import type { Clock } from "../auth/clock.js";
import type { TokenBuckets } from "../boards/rateLimiter.js";
import { HttpError } from "../http/problem.js";
import { breakoutLeadRoom, breakoutPeopleRoom, breakoutRoom } from "./notify.js";
import type { BreakoutService } from "./service.js";
import { sessionContext } from "./store.js";
import { liveStateOf } from "../session/lifecycle.js";
import type { Db } from "@convivio/db";
import { isStorable } from "../http/storable.js";

type Reply = (answer: BreakoutAck | BreakoutJoinAck) => void;

/** Refused messages (invalid or rate-limited) a socket may send per window before it is cut off. */
export const BREAKOUT_STRIKE_LIMIT = 100;
const STRIKE_WINDOW_MS = 10_000;

/** The ack code of a failure: an expected refusal keeps its code, anything else is internal. */
export function codeOf(err: unknown): ErrorCode {
  return err instanceof HttpError ? err.code : ErrorCode.internal;
}

export function attachBreakoutSockets(
  io: LiveServer,
  deps: { db: Db; clock: Clock; service: BreakoutService; limiter: TokenBuckets; logger: Logger },
): void {
  const { db, clock, service, limiter, logger } = deps;
  io.on("connection", (socket) => {
    const user = socket.data.actor.user;
    let strikes = 0;
    let strikesSince = clock.now().getTime();

    const strike = () => {
      const at = clock.now().getTime();
      if (at - strikesSince > STRIKE_WINDOW_MS) {
        strikes = 0;
        strikesSince = at;
      }
      if (++strikes > BREAKOUT_STRIKE_LIMIT) {
        logger.warn({ userId: user.id }, "socket flooding refused breakout messages; disconnected");
        socket.disconnect(true);
      }
    };

    /** A refusal at the edge: invalid and rate-limited messages count as strikes. */
    const refuse = (reply: Reply, code: typeof ErrorCode.validationFailed | typeof ErrorCode.rateLimited) => {
      strike();
      reply({ ok: false, code });
    };

    const listen = (event: string, handler: (payload: unknown, reply: Reply) => Promise<void>) => {
      // Raw listener: a hostile client may send any arguments, or none, with or without an ack.
      (socket as unknown as { on(event: string, fn: (...args: unknown[]) => void): void }).on(
        event,
        (...args) => {
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
              logger.warn({ err, event }, "breakout ack failed");
            }
          };
          handler(payload, reply).catch((err: unknown) => {
            const code = codeOf(err);
            if (code === ErrorCode.internal)
              logger.error({ err, event, userId: user.id }, "breakout socket handler failed");
            reply({ ok: false, code });
          });
        },
      );
    };

    listen("breakout:join", async (payload, reply) => {
      const parsed = BreakoutJoin.safeParse(payload);
      if (!parsed.success) return refuse(reply, ErrorCode.validationFailed);
      if (!limiter.take(user.id)) return refuse(reply, ErrorCode.rateLimited);
      const { sessionId } = parsed.data;
      const ctx = await sessionContext(db, sessionId, user.id);
      // As for the session itself (session:join): a participant follows the tables only while the
      // session is live, so nobody on the waiting screen counts as present or is seated.
      if (ctx.role !== "facilitator" && (await liveStateOf(db, sessionId)).status !== "live")
        return reply({ ok: false, code: ErrorCode.sessionNotLive });
      await socket.join(breakoutRoom(sessionId));
      await socket.join(
        ctx.role === "facilitator" ? breakoutLeadRoom(sessionId) : breakoutPeopleRoom(sessionId),
      );
      reply({ ok: true, ...(await service.arrive(user, ctx)) });
    });

    listen("breakout:leave", async (payload) => {
      const parsed = BreakoutJoin.safeParse(payload);
      if (!parsed.success) return strike();
      const { sessionId } = parsed.data;
      for (const room of [
        breakoutRoom(sessionId),
        breakoutLeadRoom(sessionId),
        breakoutPeopleRoom(sessionId),
      ])
        await socket.leave(room);
    });

    listen("breakout:command", async (payload, reply) => {
      const parsed = BreakoutCommand.safeParse(payload);
      // A call's message and a broadcast are stored: text PostgreSQL cannot hold is refused here.
      if (!parsed.success || !isStorable(parsed.data)) return refuse(reply, ErrorCode.validationFailed);
      if (!limiter.take(user.id)) return refuse(reply, ErrorCode.rateLimited);
      reply(await service.run({ user }, parsed.data));
    });
  });
}
