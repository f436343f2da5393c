/**
 * The child side of the bench's measurement protocol. Each measured process (upstream, floor,
 * gateway) is forked by run.mjs with an IPC channel; the runner opens and closes a measurement
 * window around each load run, and the child answers with its own CPU time and peak RSS inside
 * that window. Measuring inside the process (process.cpuUsage) is far less noisy than sampling
 * /proc from outside on a shared machine, and it needs no endpoint in the product.
 */
const RSS_SAMPLE_MS = 50;

export function reportReady(info) {
  process.send?.({ type: 'ready', ...info });
}

/** `extra()` adds process-specific figures to each window's stats (e.g. the upstream's open streams). */
export function serveStatsOverIpc({ onShutdown, extra = () => ({}) }) {
  let window = null;
  let sampler = null;
  const sampleRss = () => {
    if (window) window.peakRss = Math.max(window.peakRss, process.memoryUsage.rss());
  };
  process.on('message', async (msg) => {
    if (msg?.type === 'begin') {
      window = { cpu: process.cpuUsage(), peakRss: process.memoryUsage.rss(), startedAt: performance.now() };
      // unref: the sampler must never keep a child alive on its own.
      sampler = setInterval(sampleRss, RSS_SAMPLE_MS).unref();
      process.send({ type: 'begun' });
    } else if (msg?.type === 'end') {
      sampleRss();
      clearInterval(sampler);
      const cpu = process.cpuUsage(window.cpu);
      process.send({
        type: 'stats',
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        wallMs: performance.now() - window.startedAt,
        peakRssBytes: window.peakRss,
        // RSS when the window closed: the soak's time series (a peak would follow GC sawteeth).
        rssBytes: process.memoryUsage.rss(),
        ...extra(),
      });
      window = null;
    } else if (msg?.type === 'shutdown') {
      await onShutdown();
      // process.exit (not a natural drain) so --cpu-prof writes its profile promptly.
      process.exit(0);
    }
  });
  // If the runner dies, do not linger as an orphan holding a port.
  process.on('disconnect', () => process.exit(0));
}

/** `--name value` pairs from argv. */
export function argValue(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
