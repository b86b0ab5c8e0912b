import { useId, type ReactNode, type TextareaHTMLAttributes } from "react";
import { FieldFrame } from "./Field";
import type { Message } from "./message";

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id" | "onChange" | "value"> & {
  name: string;
  label: ReactNode;
  value: string;
  onValueChange: (value: string) => void;
  hint?: ReactNode;
  error?: Message | undefined;
};

/** A multi-line text field, wired like the other fields. */
export function TextAreaField({ label, hint, error, onValueChange, rows = 4, ...rest }: TextAreaProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {(described) => (
        <textarea
          className="input textarea"
          rows={rows}
          {...rest}
          {...described}
          id={id}
          onChange={(event) => onValueChange(event.target.value)}
        />
      )}
    </FieldFrame>
  );
}
