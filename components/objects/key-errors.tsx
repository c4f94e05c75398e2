/** The keys a store refused in a batch operation, with its error codes (the first 50). */
export function KeyErrors({ intro, errors }: { intro: string; errors: { key: string; code: string }[] }) {
  if (errors.length === 0) return null;
  return (
    <div>
      <p>{intro}</p>
      <ul className="mt-1 max-h-40 overflow-auto font-mono text-xs">
        {errors.slice(0, 50).map((e) => (
          <li key={e.key}>
            {e.key} — {e.code}
          </li>
        ))}
      </ul>
    </div>
  );
}
