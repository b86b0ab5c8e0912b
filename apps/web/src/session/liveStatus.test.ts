import { describe, expect, it } from "vitest";
import type { AgendaSession, SessionLiveState } from "@convivio/protocol";
import { initialsOf, liveNow, lobbyAction, statusOf } from "./liveStatus";

const session = (id: string, startsAt: string) =>
  ({
    id,
    spaceId: null,
    title: id,
    description: "",
    kind: "plenary",
    startsAt,
    endsAt: startsAt,
  }) as unknown as AgendaSession;
const state = (sessionId: string, status: SessionLiveState["status"]) =>
  ({ sessionId, status, startedAt: null, endedAt: null }) as unknown as SessionLiveState;

describe("the lobby", () => {
  it("offers Join on live sessions, and Open to the team on the others", () => {
    expect(lobbyAction("live", false)).toBe("join");
    expect(lobbyAction("live", true)).toBe("join");
    expect(lobbyAction("scheduled", false)).toBeNull();
    expect(lobbyAction("ended", false)).toBeNull();
    expect(lobbyAction("scheduled", true)).toBe("open");
    expect(lobbyAction("ended", true)).toBe("open");
  });

  it("reads a session never started as scheduled, and lists the live ones in agenda order", () => {
    const states = [state("b", "live"), state("c", "ended"), state("a", "live")];
    expect(statusOf(states, "c")).toBe("ended");
    expect(statusOf(states, "zzz")).toBe("scheduled");
    expect(statusOf(undefined, "a")).toBe("scheduled");
    const sessions = [
      session("b", "2027-03-01T11:00:00Z"),
      session("a", "2027-03-01T09:00:00Z"),
      session("c", "2027-03-01T08:00:00Z"),
    ];
    expect(liveNow(sessions, states).map((s) => s.id)).toEqual(["a", "b"]);
  });

  it("makes initials for avatars", () => {
    expect(initialsOf("Sara Conti")).toBe("SC");
    expect(initialsOf("Anna Maria de Luca")).toBe("AL");
    expect(initialsOf("  élodie ")).toBe("É");
    expect(initialsOf("")).toBe("?");
  });
});
