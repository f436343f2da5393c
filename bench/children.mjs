/** The runner side of child-stats.mjs: fork a measured process and open/close its windows. */
import { fork } from 'node:child_process';

export async function startChild(file, args, { execArgv = [] } = {}) {
  const child = fork(new URL(file, import.meta.url), args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv });
  const ready = await new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`${file} exited with code ${code} before it was ready`));
    child.once('exit', onExit);
    child.once('message', (msg) => {
      child.off('exit', onExit);
      resolve(msg);
    });
  });
  const next = (type) => new Promise((resolve) => {
    const onMessage = (msg) => {
      if (msg?.type !== type) return;
      child.off('message', onMessage);
      resolve(msg);
    };
    child.on('message', onMessage);
  });
  return {
    ready,
    pid: child.pid,
    async begin() {
      const begun = next('begun');
      child.send({ type: 'begin' });
      await begun;
    },
    async end() {
      const stats = next('stats');
      child.send({ type: 'end' });
      return stats;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'shutdown' });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Runs `load` inside a measurement window on every child in `watched`. */
export async function measured(watched, load) {
  await Promise.all(watched.map((c) => c.begin()));
  const result = await load();
  const stats = await Promise.all(watched.map((c) => c.end()));
  return { result, stats };
}
