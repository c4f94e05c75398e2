// Jest runs outside React's server environment; "server-only" would throw there. Its guard is exercised by
// the Next build, which refuses to bundle a server-only module into browser code.
module.exports = {};
