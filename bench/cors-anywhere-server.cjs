// The proxy people reach for today, as the baseline of `cargo xtask bench`: cors-anywhere on
// node, proxying the same simulator. Usage: node cors-anywhere-server.cjs <port>
const port = Number(process.argv[2] || 8789);
require('cors-anywhere')
  .createServer({ originWhitelist: [], requireHeader: [], removeHeaders: ['cookie', 'cookie2'] })
  .listen(port, '127.0.0.1', () => console.log(`cors-anywhere on 127.0.0.1:${port}`));
