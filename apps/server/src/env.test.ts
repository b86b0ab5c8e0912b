import { describe, expect, it } from "vitest";
import express from "express";
import { readEnv } from "./env.js";

/** Whether Express, given TRUST_PROXY as parsed, trusts `address` at `hop` (0 = the socket's peer). */
function trusts(trustProxy: string, address: string, hop: number): boolean {
  const app = express();
  app.set("trust proxy", readEnv({ TRUST_PROXY: trustProxy }).TRUST_PROXY);
  return (app.get("trust proxy fn") as (address: string, hop: number) => boolean)(address, hop);
}

describe("env", () => {
  it("defaults to the embedded setup", () => {
    const env = readEnv({});
    expect(env).toMatchObject({ PORT: 3000, DATA_DIR: ".data", NODE_ENV: "development" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
  });

  it("treats empty URLs as unset", () => {
    expect(readEnv({ DATABASE_URL: "", REDIS_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it("lists every bad value", () => {
    expect(() => readEnv({ PORT: "http", DATABASE_URL: "not a url" })).toThrow(
      /PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PORT/,
    );
  });

  it("wants the three LiveKit settings together", () => {
    expect(() => readEnv({ LIVEKIT_URL: "wss://lk.example.org" })).toThrow(/LIVEKIT/);
    expect(
      readEnv({ LIVEKIT_URL: "wss://lk.example.org", LIVEKIT_API_KEY: "k", LIVEKIT_API_SECRET: "s" })
        .LIVEKIT_URL,
    ).toBe("wss://lk.example.org");
  });

  describe("TRUST_PROXY", () => {
    it("reads a whole number as a count of proxies, not as an address", () => {
      expect(readEnv({ TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
      expect(readEnv({ TRUST_PROXY: " 2 " }).TRUST_PROXY).toBe(2);
      // One hop behind Caddy or an Ingress: its address (whatever it is) is trusted, the next is not.
      expect(trusts("1", "10.42.0.7", 0)).toBe(true);
      expect(trusts("1", "203.0.113.9", 1)).toBe(false);
      expect(trusts("0", "10.42.0.7", 0)).toBe(false);
    });

    it("reads true and false as booleans", () => {
      expect(readEnv({ TRUST_PROXY: "true" }).TRUST_PROXY).toBe(true);
      expect(readEnv({ TRUST_PROXY: "false" }).TRUST_PROXY).toBe(false);
      expect(trusts("true", "203.0.113.9", 5)).toBe(true);
      expect(trusts("false", "127.0.0.1", 0)).toBe(false);
    });

    it("keeps addresses, subnets and named ranges, and defaults to loopback", () => {
      expect(readEnv({}).TRUST_PROXY).toBe("loopback");
      expect(readEnv({ TRUST_PROXY: "" }).TRUST_PROXY).toBe("loopback");
      expect(readEnv({ TRUST_PROXY: "loopback, 10.0.0.0/8, fd00::/8" }).TRUST_PROXY).toBe(
        "loopback,10.0.0.0/8,fd00::/8",
      );
      expect(readEnv({ TRUST_PROXY: "192.168.1.0/255.255.255.0,uniquelocal" }).TRUST_PROXY).toBe(
        "192.168.1.0/255.255.255.0,uniquelocal",
      );
      expect(trusts("loopback", "127.0.0.1", 0)).toBe(true);
      expect(trusts("loopback", "10.42.0.7", 0)).toBe(false);
      expect(trusts("loopback, 10.0.0.0/8", "10.42.0.7", 0)).toBe(true);
    });

    it("refuses what Express would misread or reject, naming the variable", () => {
      for (const bad of [
        "-1",
        "1.5",
        "yes",
        "10.0.0.0/33",
        "fd00::/129",
        "10.0.0.1/8/8",
        "proxy",
        "loopback,",
      ])
        expect(() => readEnv({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    });
  });
});
