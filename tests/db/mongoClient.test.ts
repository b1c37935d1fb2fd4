// The MongoDB client as every function instance opens it: the cluster's defaults are not trusted,
// and an unreachable server is reported well within a cloud function's timeout.
import net from 'node:net';
import { MongoClient, ReadPreference } from 'mongodb';
import { connectDb, MONGO_CLIENT_OPTIONS } from '../../cloudfunctions/shared/db/connect';

it('asks for majority, journaled writes, primary reads and a small pool', () => {
  const client = new MongoClient('mongodb://127.0.0.1:1', MONGO_CLIENT_OPTIONS);
  expect(client.options.writeConcern).toMatchObject({ w: 'majority', journal: true });
  expect(client.options.readPreference.mode).toBe(ReadPreference.PRIMARY);
  expect(client.options.maxPoolSize).toBeLessThanOrEqual(5);
  for (const timeout of [client.options.serverSelectionTimeoutMS, client.options.connectTimeoutMS, client.options.socketTimeoutMS]) {
    // Below the 5 s every function's deploy configuration gives it at least.
    expect(timeout).toBeGreaterThan(0);
    expect(timeout).toBeLessThan(5_000);
  }
});

it('fails to connect to a server that does not answer within the server selection timeout, not 30 s', async () => {
  // A port that accepts connections and never speaks: like a server behind a broken network path.
  const silent = net.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as net.AddressInfo;
  const started = Date.now();
  try {
    await expect(connectDb({ mongodbUri: `mongodb://127.0.0.1:${port}/?directConnection=true`, dbName: 'x', dataDir: '/nonexistent' })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(MONGO_CLIENT_OPTIONS.serverSelectionTimeoutMS! + 2_000);
  } finally {
    silent.close();
  }
});
