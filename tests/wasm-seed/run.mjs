// Runs the wasm tests of this crate against a loopback HTTP server.
//
//   node tests/wasm-seed/run.mjs [more cargo test arguments]
//
// It starts the server on 127.0.0.1 (a free port), finds a closed port, and runs
// `cargo test -p wasm-seed --target wasm32-unknown-unknown` with wasm-bindgen-test-runner as the
// target's runner, which runs the tests in Node.js. The tests read the server's address at compile
// time (APIGEN_WASM_SERVER, APIGEN_WASM_CLOSED). The server answers CORS preflights and exposes
// every header, so the same tests could run in a browser. It exits with cargo's status.

import http from "node:http";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const COMPANY = {
  type: "company",
  id: "677c55186abd011ad17ff4a3",
  name: "Acme",
  app_id: "this_is_an_id_for_seed",
  created_at: 1734537243,
};

// Attempts seen per path, for the retry scenario.
const attempts = new Map();

function cors(extra = {}) {
  return {
    "access-control-allow-origin": "*",
    "access-control-allow-headers": "*",
    "access-control-allow-methods": "*",
    "access-control-expose-headers": "*",
    ...extra,
  };
}

function json(res, status, value, extra = {}) {
  const body = JSON.stringify(value);
  res.writeHead(status, cors({ "content-type": "application/json", ...extra }));
  res.end(body);
}

// The first path segment names what the server does; the rest is the operation's path.
function handle(req, res, body) {
  if (req.method === "OPTIONS") {
    res.writeHead(204, cors());
    res.end();
    return;
  }
  const url = new URL(req.url, "http://localhost");
  const scenario = url.pathname.split("/")[1];
  switch (scenario) {
    case "exact":
      // Echoes what it received in headers the test reads back.
      json(res, 200, COMPANY, {
        "x-echo-method": req.method,
        "x-echo-path": url.pathname,
        "x-echo-query": url.search,
        "x-echo-authorization": req.headers["authorization"] ?? "",
        "x-echo-content-type": req.headers["content-type"] ?? "",
        "x-echo-accept": req.headers["accept"] ?? "",
        "x-echo-intercom-version": req.headers["intercom-version"] ?? "",
        "x-echo-body": body,
        "x-request-id": "req-wasm-1",
      });
      return;
    case "flaky": {
      // 429 (no Retry-After: the client backs off) on the first attempt at each path, then the
      // company. A 429 is retried for every method, this POST included.
      const attempt = (attempts.get(url.pathname) ?? 0) + 1;
      attempts.set(url.pathname, attempt);
      if (attempt === 1) {
        json(res, 429, { type: "error.list", errors: [{ code: "rate_limit_exceeded", message: "slow down" }] });
      } else {
        json(res, 200, COMPANY, { "x-attempt": String(attempt) });
      }
      return;
    }
    case "chunked": {
      // 20 chunks of 16 KiB, 10 ms apart, with no Content-Length.
      res.writeHead(200, cors({ "content-type": "application/json" }));
      res.write('{"id":"big","name":"');
      let sent = 0;
      const timer = setInterval(() => {
        if (res.destroyed || sent === 20) {
          clearInterval(timer);
          if (!res.destroyed) res.end('"}');
          return;
        }
        res.write("a".repeat(16 * 1024));
        sent += 1;
      }, 10);
      res.on("close", () => clearInterval(timer));
      return;
    }
    case "declared": {
      // A body of 1 MiB, announced by its Content-Length.
      const filler = "a".repeat(1024 * 1024 - '{"name":""}'.length);
      const text = `{"name":"${filler}"}`;
      res.writeHead(200, cors({ "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) }));
      res.end(text);
      return;
    }
    case "slow-headers": {
      const timer = setTimeout(() => json(res, 200, COMPANY), 3000);
      res.on("close", () => clearTimeout(timer));
      return;
    }
    case "slow-body": {
      // The status and headers at once, then half a body, the rest after 3 s.
      res.writeHead(200, cors({ "content-type": "application/json" }));
      res.write('{"id":');
      const timer = setTimeout(() => res.end('"late"}'), 3000);
      res.on("close", () => clearTimeout(timer));
      return;
    }
    default:
      json(res, 404, { type: "error.list", errors: [{ code: "not_found", message: scenario }] });
  }
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => handle(req, res, Buffer.concat(chunks).toString("utf8")));
});
const port = await listen(server);

// A port that was free a moment ago and is closed now: connecting to it is refused.
const probe = http.createServer();
const closedPort = await listen(probe);
await new Promise((resolve) => probe.close(resolve));

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const args = ["test", "-p", "wasm-seed", "--target", "wasm32-unknown-unknown", ...process.argv.slice(2)];
const child = spawn("cargo", args, {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: process.env.CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER ?? "wasm-bindgen-test-runner",
    APIGEN_WASM_SERVER: `http://127.0.0.1:${port}`,
    APIGEN_WASM_CLOSED: `http://127.0.0.1:${closedPort}`,
  },
});
const code = await new Promise((resolve) => child.on("exit", (status, signal) => resolve(signal ? 1 : status)));
server.closeAllConnections();
server.close();
process.exit(code);
