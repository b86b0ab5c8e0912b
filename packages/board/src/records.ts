// Small immutable helpers over plain records. State is kept as plain JSON-friendly objects so a
// server can store it and a test can compare it; these helpers never mutate their input.

/** The own value at `key`, ignoring inherited keys (so an id like "__proto__" is simply missing). */
export function lookup<K extends string, V>(record: Readonly<Record<K, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? (record as Record<string, V>)[key] : undefined;
}

/** A copy of `record` with `key` set to `value`. */
export function withEntry<K extends string, V>(
  record: Readonly<Record<K, V>>,
  key: K,
  value: V,
): Record<K, V> {
  const copy = { ...record } as Record<K, V>;
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A copy of `record` without `key`. */
export function withoutEntry<K extends string, V>(record: Readonly<Record<K, V>>, key: K): Record<K, V> {
  if (!Object.hasOwn(record, key)) return record as Record<K, V>;
  const copy = { ...record } as Record<K, V>;
  delete copy[key];
  return copy;
}

/** The record's own values. */
export function valuesOf<K extends string, V>(record: Readonly<Record<K, V>>): V[] {
  return Object.values(record) as V[];
}

/** The record's own entries with their key type kept. */
export function entriesOf<K extends string, V>(record: Readonly<Record<K, V>>): [K, V][] {
  return Object.entries(record) as [K, V][];
}

/** Structural equality of JSON-like values (plain objects, arrays, primitives). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const aKeys = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bKeys = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every(
    (k) =>
      Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** A new record with `change` applied to every value. */
export function mapValues<K extends string, V>(
  record: Readonly<Record<K, V>>,
  change: (value: V) => V,
): Record<K, V> {
  return Object.fromEntries(entriesOf(record).map(([k, v]) => [k, change(v)])) as Record<K, V>;
}

/** A new record with only the values that pass `keep`. */
export function filterValues<K extends string, V>(
  record: Readonly<Record<K, V>>,
  keep: (value: V) => boolean,
): Record<K, V> {
  return Object.fromEntries(entriesOf(record).filter(([, v]) => keep(v))) as Record<K, V>;
}
