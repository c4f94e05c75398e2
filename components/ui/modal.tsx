"use client";
import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * A modal on the native <dialog>, shown while `open`: the browser traps focus inside and returns it to the
 * control that opened it. Escape calls `onCancel` (the dialog stays open until `open` turns false), so a
 * dialog that is busy can ignore it. The title names the dialog; `description`, when given, describes it.
 */
export function Modal({
  open,
  title,
  description,
  onCancel,
  width = "w-full max-w-lg",
  breakTitle = false,
  children,
}: {
  open: boolean;
  title: ReactNode;
  description?: ReactNode;
  onCancel: () => void;
  /** Tailwind width classes of the panel. */
  width?: string;
  /** Break long unbroken names (keys, bucket names) in the title and description anywhere. */
  breakTitle?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  const titleId = useId();
  const descriptionId = useId();
  const breaks = breakTitle ? " break-all" : "";
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description === undefined ? undefined : descriptionId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      className={`m-auto ${width} rounded-xl border border-slate-200 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100`}
    >
      <h2 id={titleId} className={`text-lg font-semibold${breaks}`}>
        {title}
      </h2>
      {description === undefined ? null : (
        <p id={descriptionId} className={`mt-2 text-sm${breaks} text-slate-600 dark:text-slate-300`}>
          {description}
        </p>
      )}
      {children}
    </dialog>
  );
}
