"use client";
import { useSyncExternalStore } from "react";

const noop = () => () => {};

/**
 * False in the server's HTML and until React has taken the page over, true after: a control whose work is
 * done by script (a file picker whose choice the page must receive) stays disabled until then, so a pick
 * made in that first moment is not silently dropped.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}
