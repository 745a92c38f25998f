// Starts a Homeward demo server of its own for a test file: a fresh SQLite database in a
// temporary directory, the west-sussex-2019 preset with seed 1, on a free port chosen by the
// operating system. stop() kills the server and removes the directory; both also happen if the
// test process exits or is interrupted first.
//
// scripts/e2e.sh builds the demo database once per run (it takes the best part of a minute:
// weeks of simulated call monitoring) and names its folder in HOMEWARD_E2E_BASE; each server
// then starts on a copy of its own. Without it (a test file run by hand), each server builds
// its own demo.

import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.mjs';

const BINARY = process.env.HOMEWARD_BIN || join(REPO_ROOT, 'target', 'debug', 'homeward');
const BASE = process.env.HOMEWARD_E2E_BASE;
const STARTUP_MS = BASE ? 60_000 : 180_000;
/** Seconds the scheduling engine searches a day when a test plans one. */
const ROSTER_SECONDS = '1';
const STOP_MS = 5_000;

/** Servers still running, so that an early exit of the test process still stops them. */
const running = new Set();

function stopAllNow() {
  for (const server of running) server.killNow();
}
process.once('exit', stopAllNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    stopAllNow();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  });
}

/**
 * @typedef {object} Server
 * @property {string} origin  e.g. http://127.0.0.1:41234
 * @property {string} password  the demo accounts' password, as the server printed it
 * @property {Record<string, string>} accounts  role label → email, as the server printed them
 * @property {(path: string) => string} url  an absolute address on this server
 * @property {() => string} log  everything the server wrote to stderr
 * @property {() => Promise<void>} stop
 */

/** @returns {Promise<Server>} */
export async function startServer() {
  if (!existsSync(BINARY)) {
    throw new Error(`${BINARY} is missing: build it with \`cargo build --bin homeward\` (scripts/e2e.sh does)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'homeward-e2e-'));
  const database = `sqlite://${join(dir, 'e2e.db')}`;
  let preface = '';
  let args;
  if (BASE) {
    // The database with its write-ahead log, if the demo left one.
    for (const file of readdirSync(BASE)) {
      if (file.startsWith('e2e.db')) copyFileSync(join(BASE, file), join(dir, file));
    }
    preface = readFileSync(join(BASE, 'demo.log'), 'utf8');
    args = ['serve', '--database', database, '--listen', '127.0.0.1:0', '--roster-seconds', ROSTER_SECONDS];
  } else {
    args = [
      'demo',
      '--preset', 'west-sussex-2019',
      '--seed', '1',
      '--database', database,
      '--listen', '127.0.0.1:0',
      '--roster-seconds', ROSTER_SECONDS,
    ];
  }
  // With setpriv, the kernel kills the server if this process dies without cleaning up.
  const [command, commandArgs] = existsSync('/usr/bin/setpriv')
    ? ['/usr/bin/setpriv', ['--pdeathsig', 'SIGKILL', '--', BINARY, ...args]]
    : [BINARY, args];
  const child = spawn(command, commandArgs, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });

  // What the demo printed (its accounts and password), then what the server prints.
  let stderr = preface;
  let exited = false;
  const exitedPromise = new Promise((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  child.stderr.setEncoding('utf8');

  const handle = {
    killNow() {
      if (!exited) {
        try { child.kill('SIGKILL'); } catch { /* already gone */ }
      }
      rmSync(dir, { recursive: true, force: true });
      running.delete(handle);
    },
  };
  running.add(handle);

  let origin;
  try {
    origin = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the server did not start within ${STARTUP_MS / 1000}s:\n${stderr}`)),
        STARTUP_MS,
      );
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        const match = /Homeward is running at (http:\/\/127\.0\.0\.1:(\d+))\//.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (${signal ?? code}) before it started:\n${stderr}`));
      });
    });
  } catch (error) {
    handle.killNow();
    throw error;
  }

  const password = /password for all: (\S+?)\)/.exec(stderr)?.[1];
  if (!password) throw new Error(`the server did not print the demo password:\n${stderr}`);
  const accounts = {};
  for (const match of stderr.matchAll(/^\s+(.+?)\s{2,}(\S+@\S+)/gm)) accounts[match[1]] = match[2];
  const startupLength = stderr.length;

  return {
    origin,
    password,
    accounts,
    url: (path) => new URL(path, origin).href,
    log: () => stderr.slice(startupLength),
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
        await exitedPromise;
        clearTimeout(timer);
      }
      handle.killNow();
      const log = stderr.slice(startupLength).trim();
      if (log) console.error(`[homeward server log]\n${log}`);
    },
  };
}
