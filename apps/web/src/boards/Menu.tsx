import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

export interface MenuItem {
  key: string;
  label: string;
  onSelect: () => void;
  danger?: boolean;
  icon?: ReactNode;
  /** For an on/off choice (menuitemcheckbox): whether it is on. */
  checked?: boolean;
}

/**
 * A menu button (WAI-ARIA menu pattern): Enter, Space or the arrow keys open it, the arrow keys,
 * Home and End move through it, Escape closes it and puts focus back on the button.
 */
export function Menu({
  label,
  items,
  icon,
  className,
}: {
  /** The button's accessible name; shown as its text when there is no icon. */
  label: string;
  items: readonly MenuItem[];
  icon?: ReactNode;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const [initial, setInitial] = useState<"first" | "last">("first");
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const itemButtons = () =>
    Array.from(menuRef.current?.querySelectorAll<HTMLButtonElement>("[role^=menuitem]") ?? []);

  useEffect(() => {
    if (!open) return;
    const buttons = itemButtons();
    (initial === "last" ? buttons.at(-1) : buttons[0])?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open, initial]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setInitial(event.key === "ArrowUp" ? "last" : "first");
      setOpen(true);
    }
  };

  const onMenuKey = (event: KeyboardEvent) => {
    const buttons = itemButtons();
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const focusAt = (i: number) => buttons[(i + buttons.length) % buttons.length]?.focus();
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        focusAt(index + 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        focusAt(index - 1);
        break;
      case "Home":
        event.preventDefault();
        focusAt(0);
        break;
      case "End":
        event.preventDefault();
        focusAt(buttons.length - 1);
        break;
      case "Escape":
        event.preventDefault();
        event.stopPropagation();
        close(true);
        break;
      case "Tab":
        setOpen(false);
        break;
    }
  };

  if (items.length === 0) return null;
  return (
    <div className={className ? `menu ${className}` : "menu"}>
      <button
        ref={buttonRef}
        type="button"
        className={icon ? "icon-button" : "btn btn-ghost btn-small menu-text-button"}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => {
          setInitial("first");
          setOpen((was) => !was);
        }}
        onKeyDown={onButtonKey}
      >
        {icon ? (
          <>
            {icon}
            <span className="visually-hidden">{label}</span>
          </>
        ) : (
          <>
            {label}
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="chevron">
              <path d="m7 10 5 5 5-5" />
            </svg>
          </>
        )}
      </button>
      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={label}
          className="menu-popup"
          onKeyDown={onMenuKey}
        >
          {items.map((item) => (
            <button
              key={item.key}
              type="button"
              role={item.checked === undefined ? "menuitem" : "menuitemcheckbox"}
              aria-checked={item.checked}
              tabIndex={-1}
              className={item.danger ? "menu-item menu-item-danger" : "menu-item"}
              onClick={() => {
                close(true);
                item.onSelect();
              }}
            >
              {item.icon}
              <span className="menu-item-label">{item.label}</span>
              {item.checked ? (
                <svg className="menu-item-check" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                  <path d="M20 6 9 17l-5-5" />
                </svg>
              ) : null}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** The "more" icon (three dots) for menu buttons. */
export function MoreIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="icon-fill">
      <circle cx="5" cy="12" r="1.8" />
      <circle cx="12" cy="12" r="1.8" />
      <circle cx="19" cy="12" r="1.8" />
    </svg>
  );
}
