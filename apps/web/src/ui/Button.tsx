import type { ButtonHTMLAttributes, MouseEvent, ReactNode } from "react";
import { Spinner } from "./Spinner";

type Variant = "primary" | "secondary" | "ghost" | "danger";

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  /** While busy the button shows `busyLabel` and ignores clicks, but stays focusable. */
  busy?: boolean;
  busyLabel?: ReactNode;
  block?: boolean;
}

export function Button({
  variant = "primary",
  busy = false,
  busyLabel,
  block = false,
  className,
  children,
  onClick,
  type = "button",
  ...rest
}: ButtonProps) {
  // aria-disabled rather than disabled: a disabled button drops keyboard focus mid-submit.
  const guard = (event: MouseEvent<HTMLButtonElement>) => {
    if (busy) {
      event.preventDefault();
      return;
    }
    onClick?.(event);
  };
  const classes = ["btn", `btn-${variant}`, block ? "btn-block" : "", className ?? ""]
    .filter(Boolean)
    .join(" ");
  return (
    <button {...rest} type={type} className={classes} aria-disabled={busy || undefined} onClick={guard}>
      {busy ? (
        <>
          <Spinner />
          <span>{busyLabel ?? children}</span>
        </>
      ) : (
        children
      )}
    </button>
  );
}
