import { Socket } from 'node:net';
import { startRedisServer } from './redis-server';

const roundTrip = (port: number, command: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('error', reject);
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString());
    });
    socket.connect(port, '127.0.0.1', () => socket.write(command));
  });

describe('startRedisServer', () => {
  it('starts, answers, dies on kill, comes back empty on restart, and stops', async () => {
    const redis = await startRedisServer();
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      expect(redis.pid).toEqual(expect.any(Number));
      expect(await roundTrip(redis.port, 'SET k v\r\n')).toBe('+OK\r\n');

      await redis.kill();
      expect(redis.pid).toBeNull();
      await expect(roundTrip(redis.port, 'PING\r\n')).rejects.toThrow();

      await redis.restart();
      expect(await roundTrip(redis.port, 'GET k\r\n')).toBe('$-1\r\n');
    } finally {
      await redis.stop();
      await redis.stop();
    }
    await expect(roundTrip(redis.port, 'PING\r\n')).rejects.toThrow();
  });

  it('fails clearly when the binary does not exist', async () => {
    await expect(startRedisServer({ binary: '/nonexistent/redis-server' })).rejects.toThrow();
  });
});
