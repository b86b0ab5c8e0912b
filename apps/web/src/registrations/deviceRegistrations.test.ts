import { describe, expect, it } from "vitest";
import {
  forgetRegistration,
  rememberRegistration,
  rememberedForEvent,
  rememberedRegistrations,
  rememberedToken,
  tokenFromHash,
  tokenHeaders,
} from "./deviceRegistrations";

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

const TOKEN_A = "a".repeat(43);
const TOKEN_B = "B_-".repeat(14) + "x";

describe("registrations remembered on this device", () => {
  it("remembers tokens newest first and finds them by registration or event", () => {
    const storage = memoryStorage();
    rememberRegistration({ id: "r1", token: TOKEN_A, eventId: "e1" }, storage);
    rememberRegistration({ id: "r2", token: TOKEN_B }, storage);
    expect(rememberedRegistrations(storage).map((r) => r.id)).toEqual(["r2", "r1"]);
    expect(rememberedToken("r1", storage)).toBe(TOKEN_A);
    expect(rememberedForEvent("e1", storage)?.id).toBe("r1");
  });

  it("keeps a known event id when a link refreshes the token", () => {
    const storage = memoryStorage();
    rememberRegistration({ id: "r1", token: TOKEN_A, eventId: "e1" }, storage);
    rememberRegistration({ id: "r1", token: TOKEN_B }, storage);
    expect(rememberedRegistrations(storage)).toEqual([{ id: "r1", token: TOKEN_B, eventId: "e1" }]);
  });

  it("ignores malformed tokens and broken storage, and forgets on request", () => {
    const storage = memoryStorage();
    rememberRegistration({ id: "r1", token: "short" }, storage);
    expect(rememberedRegistrations(storage)).toEqual([]);
    storage.setItem("convivio.registrations", "{not json");
    expect(rememberedRegistrations(storage)).toEqual([]);
    rememberRegistration({ id: "r1", token: TOKEN_A }, storage);
    forgetRegistration("r1", storage);
    expect(rememberedToken("r1", storage)).toBeUndefined();
  });
});

describe("link tokens", () => {
  it("reads the token from an emailed link's fragment only when well formed", () => {
    expect(tokenFromHash(`#token=${TOKEN_A}`)).toBe(TOKEN_A);
    expect(tokenFromHash("#token=abc")).toBeNull();
    expect(tokenFromHash("")).toBeNull();
  });

  it("sends the token in the registration header", () => {
    expect(tokenHeaders(TOKEN_A)).toEqual({ "x-registration-token": TOKEN_A });
    expect(tokenHeaders(undefined)).toEqual({});
  });
});
