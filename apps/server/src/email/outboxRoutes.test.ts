import { describe, expect, it } from "vitest";
import { isLocalRequest, isLoopbackAddress } from "./outboxRoutes.js";

const request = (remoteAddress: string | undefined, headers: Record<string, string> = {}) => ({
  socket: { remoteAddress } as never,
  headers: { host: "localhost:3000", ...headers },
});

describe("the outbox's this-machine-only guard", () => {
  it("knows loopback peer addresses, IPv4, IPv6 and IPv4-mapped", () => {
    for (const address of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) {
      expect(isLoopbackAddress(address), address).toBe(true);
    }
    for (const address of [
      "192.0.2.2",
      "::ffff:192.0.2.2",
      "10.0.0.1",
      "fd00::2",
      "::",
      "0.0.0.0",
      "",
      undefined,
    ]) {
      expect(isLoopbackAddress(address), String(address)).toBe(false);
    }
    // A name that merely starts like one is not an address.
    expect(isLoopbackAddress("127.0.0.1.example.org")).toBe(false);
  });

  it("serves a request from this machine", () => {
    expect(isLocalRequest(request("127.0.0.1"))).toBe(true);
    expect(isLocalRequest(request("::1", { host: "[::1]:3000" }))).toBe(true);
    expect(isLocalRequest(request("::ffff:127.0.0.1", { host: "127.0.0.1:3000" }))).toBe(true);
  });

  it("refuses another machine, whatever X-Forwarded-For claims", () => {
    expect(isLocalRequest(request("192.0.2.2"))).toBe(false);
    expect(isLocalRequest(request("::ffff:192.0.2.2", { "x-forwarded-for": "127.0.0.1" }))).toBe(false);
    expect(isLocalRequest(request(undefined))).toBe(false);
  });

  it("refuses what a reverse proxy on this machine forwards", () => {
    for (const header of ["x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host"]) {
      expect(isLocalRequest(request("127.0.0.1", { [header]: "203.0.113.7" })), header).toBe(false);
    }
  });

  it("refuses a Host that is not a loopback name (a page rebinding its DNS to 127.0.0.1)", () => {
    expect(isLocalRequest(request("127.0.0.1", { host: "attacker.example:3000" }))).toBe(false);
    expect(isLocalRequest(request("127.0.0.1", { host: "localhost.attacker.example" }))).toBe(false);
    expect(isLocalRequest(request("127.0.0.1", { host: "" }))).toBe(false);
    expect(isLocalRequest(request("127.0.0.1", { host: "app.localhost:5173" }))).toBe(true);
  });
});
