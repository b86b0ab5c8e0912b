import { describe, expect, it as test } from "vitest";
import { ErrorCode } from "@convivio/protocol";
import { en, it } from "./locales/index";

type Tree = { [key: string]: string | Tree };

/** Every leaf of a resource tree as `dotted.key` -> text. */
function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const leaves = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") leaves.set(path, value);
    else for (const [leaf, text] of flatten(value, path)) leaves.set(leaf, text);
  }
  return leaves;
}

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? "").sort();
const tags = (text: string): string[] => [...text.matchAll(/<\/?(\w+)>/g)].map((m) => m[0]).sort();

const locales = { en: flatten(en), it: flatten(it) };

describe("translations", () => {
  test("Italian and English have exactly the same keys", () => {
    const enKeys = [...locales.en.keys()].sort();
    const itKeys = [...locales.it.keys()].sort();
    expect(itKeys.filter((key) => !locales.en.has(key))).toEqual([]);
    expect(enKeys.filter((key) => !locales.it.has(key))).toEqual([]);
    expect(enKeys.length).toBeGreaterThan(100);
  });

  test.each(Object.entries(locales))("%s has no empty or untrimmed strings", (_locale, leaves) => {
    const bad = [...leaves]
      .filter(([, text]) => text.trim() === "" || text !== text.trim())
      .map(([key]) => key);
    expect(bad).toEqual([]);
  });

  test("both languages use the same placeholders and markup in each string", () => {
    const mismatched = [...locales.en].flatMap(([key, text]) => {
      const other = locales.it.get(key) ?? "";
      const same =
        placeholders(text).join() === placeholders(other).join() && tags(text).join() === tags(other).join();
      return same ? [] : [key];
    });
    expect(mismatched).toEqual([]);
  });

  test("every error code of the protocol has a message", () => {
    const missing = Object.values(ErrorCode).filter((code) => !locales.en.has(`errors.${code}`));
    expect(missing).toEqual([]);
  });

  test("the Italian interface is actually translated", () => {
    // Brand names and shared terms may coincide; most sentences must not.
    const identical = [...locales.en]
      .filter(([key, text]) => locales.it.get(key) === text)
      .map(([key]) => key);
    expect(identical.length).toBeLessThan(locales.en.size / 10);
  });
});
