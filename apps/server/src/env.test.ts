import { describe, expect, it } from "vitest";
import { readEnv } from "./env.js";

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
});
