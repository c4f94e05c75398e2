// Runs once when the server starts: validates the environment, opens and migrates the database and makes sure
// the master key exists, so a misconfiguration stops the server at start with a clear message instead of
// failing on the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `next build` loads this file too; a build must not create a database or a key.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { bootOrExit } = await import("./lib/server/boot");
  await bootOrExit();
}
