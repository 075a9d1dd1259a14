// A raw HTTP/1.1 client and a canary server, for the proxy's security suite: fetch() would
// normalize the very paths and headers these tests need to send byte for byte.
import net from 'node:net';
import http from 'node:http';

/// Sends `method target` with exactly these headers to host:port; resolves to
/// { status, headers (lower-case names, arrays of values), body (string) }.
export function rawRequest(base, method, target, headers = {}, body = '') {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const chunks = [];
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`timeout: ${method} ${target}`)); }, 15_000);
    socket.on('connect', () => {
      const lines = [`${method} ${target} HTTP/1.1`];
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'host')) lines.push(`Host: ${hostname}:${port}`);
      for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
      lines.push('Connection: close');
      if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
      socket.write(lines.join('\r\n') + '\r\n\r\n' + body);
    });
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      try { resolve(parseResponse(Buffer.concat(chunks))); } catch (e) { reject(e); }
    };
    // Servers may keep the connection open despite `Connection: close`: stop at the end of
    // the message (Content-Length, the last chunk, or no body at all).
    socket.on('data', (d) => {
      chunks.push(d);
      if (complete(Buffer.concat(chunks), method)) finish();
    });
    socket.on('error', (e) => { clearTimeout(timer); reject(e); });
    socket.on('close', finish);
  });
}

function complete(buf, method) {
  const split = buf.indexOf('\r\n\r\n');
  if (split < 0) return false;
  const head = buf.subarray(0, split).toString('latin1').toLowerCase();
  const status = Number(head.split(' ')[1]);
  if (method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200)) return true;
  const length = head.match(/\r\ncontent-length:\s*(\d+)/);
  if (length) return buf.length - split - 4 >= Number(length[1]);
  if (/\r\ntransfer-encoding:[^\r]*chunked/.test(head)) return buf.subarray(split).includes('\r\n0\r\n\r\n');
  return false;
}

function parseResponse(buf) {
  const split = buf.indexOf('\r\n\r\n');
  if (split < 0) throw new Error('no HTTP response: ' + JSON.stringify(buf.toString().slice(0, 200)));
  const [statusLine, ...headerLines] = buf.subarray(0, split).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    const name = line.slice(0, i).trim().toLowerCase();
    (headers[name] ??= []).push(line.slice(i + 1).trim());
  }
  let body = buf.subarray(split + 4);
  if (headers['transfer-encoding']?.some((v) => v.toLowerCase().includes('chunked'))) body = dechunk(body);
  return { status, headers, body: body.toString('utf8') };
}

function dechunk(buf) {
  const parts = [];
  let i = 0;
  while (i < buf.length) {
    const eol = buf.indexOf('\r\n', i);
    const size = parseInt(buf.subarray(i, eol).toString(), 16);
    if (!size) break;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/// A loopback server that records every request it gets: no hostile request may reach it.
export async function startCanary() {
  const hits = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.end('canary');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { port: server.address().port, hits, close: () => new Promise((r) => server.close(r)) };
}
