import type { UserConfig } from "vitest/config";

/** Shared Vitest defaults for every workspace. */
export declare const testDefaults: NonNullable<UserConfig["test"]>;
declare const config: UserConfig;
export default config;
