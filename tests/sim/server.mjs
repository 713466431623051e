#!/usr/bin/env node
// MightyCall v4 simulator — entry point. Parses the CLI, builds the dataset,
// listens on loopback and prints exactly one line to stdout when ready:
//   sim listening on http://HOST:PORT
// Exits cleanly on SIGTERM/SIGINT. See tests/sim/README.md.

import http from 'node:http';
import { parseArgs, USAGE } from './config.mjs';
import { createSim } from './state.mjs';
import { makeHandler } from './app.mjs';

let cfg;
try {
  cfg = parseArgs(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`sim: ${e.message}\n${USAGE}\n`);
  process.exit(2);
}
if (cfg.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const sim = createSim(cfg);
const server = http.createServer({ keepAliveTimeout: 5000 }, makeHandler(sim));

server.on('error', (e) => {
  process.stderr.write(`sim: cannot listen on ${cfg.host}:${cfg.port}: ${e.message}\n`);
  process.exit(1);
});

server.listen(cfg.port, cfg.host, () => {
  const { port } = server.address();
  const host = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;
  const base = `http://${host}:${port}`;
  sim.setBaseUrl(base);
  process.stdout.write(`sim listening on ${base}\n`);
});

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  sim.log(`sim: ${signal}, shutting down`);
  sim.releaseHeld();
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
