// The ceiling: a node:http server that reads each webhook body and answers 200, nothing else. The
// channel bench drives it with the unchanged load generator, so its figure is what the generator and
// the machine allow before any server work: a bound on every other figure measured in the same run.
import { createServer } from 'node:http';

let requests = 0;
const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'ok', requests }));
    return;
  }
  req.on('data', () => {});
  req.on('end', () => {
    requests++;
    res.statusCode = 200;
    res.end();
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
