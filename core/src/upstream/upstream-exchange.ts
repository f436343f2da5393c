import type { Dispatcher } from 'undici';
import { errors as undiciErrors } from 'undici';

/** What the gateway reads of an upstream answer: status, headers, and the body as it arrives. */
export interface UpstreamResponse {
  status: number;
  headers: Headers;
  body: UpstreamBody;
}

export interface UpstreamBody extends AsyncIterable<Uint8Array> {
  /** The whole body as UTF-8 text. */
  text(): Promise<string>;
  /** Reads and discards the rest (up to DUMP_LIMIT_BYTES, then the connection is closed). */
  dump(): Promise<void>;
}

/** Body bytes queued unread before undici is asked to stop reading the socket (back-pressure). */
const HIGH_WATER_BYTES = 64 * 1024;
/** A body larger than this still unread when dumped is cut off instead of read to the end. */
const DUMP_LIMIT_BYTES = 128 * 1024;

type Waiter = { resolve: (result: IteratorResult<Uint8Array>) => void; reject: (err: unknown) => void };

/**
 * One upstream exchange driven through undici's dispatch callbacks (the handler interface its
 * own `request()` is built on). `request()` wraps every response in an AsyncResource and a
 * Node Readable stream, and the gateway then iterates that stream, which costs promises and
 * events per chunk; the gateway needs none of it, only an ordered queue of chunks with
 * back-pressure. Behaviour kept from `request()`: headers timeout, body timeout and connection
 * errors arrive as the same undici errors; the caller's signal aborts the exchange at any point
 * (before the headers it rejects the response, after them it fails the body); a consumer that
 * stops reading early aborts the exchange, and `dump()` drains a short rest so the socket is
 * reused.
 */
export class UpstreamExchange implements Dispatcher.DispatchHandler, UpstreamBody {
  readonly response: Promise<UpstreamResponse>;
  private resolveResponse!: (response: UpstreamResponse) => void;
  private rejectResponse!: (err: unknown) => void;
  private responded = false;
  private abortExchange: ((reason?: Error) => void) | null = null;
  private resumeReading: (() => void) | null = null;
  private readonly chunks: Buffer[] = [];
  private queuedBytes = 0;
  private ended = false;
  private failure: unknown = null;
  private waiter: Waiter | null = null;
  /** Set by text(): every chunk is kept until the end, no back-pressure. */
  private collecting: { resolve: (text: string) => void; reject: (err: unknown) => void } | null = null;
  /** Set by dump(): chunks are dropped; settles at the end. */
  private dumping: { resolve: () => void; droppedBytes: number } | null = null;

  constructor(private readonly signal: AbortSignal) {
    this.response = new Promise<UpstreamResponse>((resolve, reject) => {
      this.resolveResponse = resolve;
      this.rejectResponse = reject;
    });
    if (!signal.aborted) signal.addEventListener('abort', this.onSignalAbort, { once: true });
  }

  // ------------------------------------------------------------ undici's side

  onConnect(abort: (err?: Error) => void): void {
    this.abortExchange = abort;
    if (this.signal.aborted) abort(this.abortReason());
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true; // 1xx: informational, the real answer follows
    this.resumeReading = resume;
    this.responded = true;
    this.resolveResponse(new ExchangeResponse(statusCode, rawHeaders, this));
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.dumping) {
      this.dumping.droppedBytes += chunk.length;
      if (this.dumping.droppedBytes > DUMP_LIMIT_BYTES) this.abortExchange?.(new undiciErrors.RequestAbortedError());
      return true;
    }
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter.resolve({ value: chunk, done: false });
      return true;
    }
    this.chunks.push(chunk);
    this.queuedBytes += chunk.length;
    return this.collecting !== null || this.queuedBytes < HIGH_WATER_BYTES;
  }

  onComplete(): void {
    this.ended = true;
    this.release();
    if (this.collecting) this.collecting.resolve(this.takeText());
    this.dumping?.resolve();
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter.resolve({ value: undefined, done: true });
    }
  }

  onError(err: Error): void {
    this.release();
    if (!this.responded) {
      this.rejectResponse(err);
      return;
    }
    if (this.ended) return;
    this.failure = err;
    this.collecting?.reject(err);
    this.dumping?.resolve();
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter.reject(err);
    }
  }

  // ------------------------------------------------------------ the gateway's side

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () => this.next(),
      return: () => {
        // The consumer stopped early (client gone, stream error): nothing will read the rest.
        if (!this.ended && this.failure === null) this.abortExchange?.(new undiciErrors.RequestAbortedError());
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  text(): Promise<string> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve(this.takeText());
    return new Promise<string>((resolve, reject) => {
      this.collecting = { resolve, reject };
      this.resume();
    });
  }

  dump(): Promise<void> {
    this.chunks.length = 0;
    this.queuedBytes = 0;
    if (this.ended || this.failure !== null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.dumping = { resolve, droppedBytes: 0 };
      this.resume();
    });
  }

  private next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.chunks.shift();
    if (chunk !== undefined) {
      this.queuedBytes -= chunk.length;
      if (this.queuedBytes < HIGH_WATER_BYTES) this.resume();
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise<IteratorResult<Uint8Array>>((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.resume();
    });
  }

  private resume(): void {
    this.resumeReading?.();
  }

  private takeText(): string {
    const text = this.chunks.length === 1 ? this.chunks[0]!.toString('utf8') : Buffer.concat(this.chunks).toString('utf8');
    this.chunks.length = 0;
    this.queuedBytes = 0;
    return text;
  }

  private abortReason(): Error {
    const reason: unknown = this.signal.reason;
    return reason instanceof Error ? reason : new undiciErrors.RequestAbortedError();
  }

  private readonly onSignalAbort = (): void => {
    this.abortExchange?.(this.abortReason());
  };

  /** The exchange is over: the signal no longer needs watching. */
  private release(): void {
    this.signal.removeEventListener('abort', this.onSignalAbort);
  }
}

/**
 * The answer's head. Headers are built on first read: a fetch Headers validates every name and
 * value as it is added, and on the success path of most providers nobody reads them.
 */
class ExchangeResponse implements UpstreamResponse {
  private built: Headers | null = null;
  constructor(
    readonly status: number,
    private readonly raw: Buffer[],
    readonly body: UpstreamBody,
  ) {}

  get headers(): Headers {
    return (this.built ??= headersFrom(this.raw));
  }
}

/** undici's raw header list ([name, value, name, value, ...] as bytes) as fetch Headers. */
function headersFrom(raw: Buffer[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!.toString('latin1'), raw[i + 1]!.toString('latin1'));
  return headers;
}
