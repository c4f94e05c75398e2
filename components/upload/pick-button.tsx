"use client";
import { useRef, type ComponentProps } from "react";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/components/ui/use-hydrated";

/** A button that opens the system's file (or folder) picker: the hidden input does the picking. */
export function PickButton({
  label,
  folder = false,
  onFiles,
  ...button
}: {
  label: string;
  folder?: boolean;
  onFiles: (files: FileList) => void;
} & Omit<ComponentProps<typeof Button>, "onClick" | "children">) {
  const input = useRef<HTMLInputElement>(null);
  // Before the page is hydrated nothing would receive the files: the picker waits for it.
  const hydrated = useHydrated();
  const disabled = button.disabled || !hydrated;
  return (
    <>
      <Button {...button} disabled={disabled} onClick={() => input.current?.click()}>
        {label}
      </Button>
      <input
        ref={input}
        type="file"
        multiple={!folder}
        hidden
        disabled={disabled}
        aria-label={label}
        {...(folder ? { webkitdirectory: "" } : {})}
        onChange={(e) => {
          if (e.target.files && e.target.files.length > 0) onFiles(e.target.files);
          e.target.value = "";
        }}
      />
    </>
  );
}
