// Preloaded with `node --import` by test/no-network.test.ts: any attempt to open a socket, resolve a name or
// start a process ends the run with exit code 97 and says what was attempted, so the test fails visibly.
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
const FORBIDDEN_EXIT = 97;

function forbid(what) {
  return function forbidden() {
    process.stderr.write(`FORBIDDEN: ${what}\n`);
    process.exit(FORBIDDEN_EXIT);
  };
}

const net = require('node:net');
net.Socket.prototype.connect = forbid('net.Socket#connect');
net.connect = forbid('net.connect');
net.createConnection = forbid('net.createConnection');
net.Server.prototype.listen = forbid('net.Server#listen');
const tls = require('node:tls');
tls.connect = forbid('tls.connect');
const dgram = require('node:dgram');
dgram.createSocket = forbid('dgram.createSocket');
const dns = require('node:dns');
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveTxt', 'reverse']) {
  dns[name] = forbid(`dns.${name}`);
  dns.promises[name] = forbid(`dns.promises.${name}`);
}
for (const mod of ['node:http', 'node:https']) {
  const m = require(mod);
  m.request = forbid(`${mod} request`);
  m.get = forbid(`${mod} get`);
}
const http2 = require('node:http2');
http2.connect = forbid('http2.connect');
const childProcess = require('node:child_process');
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'])
  childProcess[name] = forbid(`child_process.${name}`);
globalThis.fetch = forbid('fetch');
globalThis.WebSocket = forbid('WebSocket');
syncBuiltinESMExports();
