/** A small decorative spinner; the surrounding text says what is happening. */
export function Spinner({ size = "1em" }: { size?: string }) {
  return <span className="spinner" aria-hidden="true" style={{ width: size, height: size }} />;
}
