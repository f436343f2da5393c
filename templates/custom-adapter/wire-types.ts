/**
 * The wire format of "Acme AI", a fictional provider used to show how an adapter is built.
 * Replace these types with your provider's documented request, response, stream and error shapes.
 *
 *   POST {baseUrl}/generate        header x-acme-key: <secret>
 *   stream: true -> text/event-stream with events start, delta, end (or error)
 */
export interface AcmeTurn {
  speaker: 'human' | 'bot';
  text: string;
}

export interface AcmeGenerateRequest {
  model: string;
  system?: string;
  turns: AcmeTurn[];
  max_output?: number;
  temperature?: number;
  stop?: string[];
  stream: boolean;
}

/** Why generation stopped: `end` (natural), `limit` (max_output), `filtered` (safety). */
export type AcmeStop = 'end' | 'limit' | 'filtered';

export interface AcmeGenerateResponse {
  id: string;
  model: string;
  /** ISO 8601 time. */
  created_at: string;
  output: { text: string; stop: AcmeStop };
  tokens: { prompt: number; output: number };
}

/** SSE events: `start` {id, model}, `delta` {text}, `end` {stop, tokens}, `error` AcmeErrorBody. */
export interface AcmeErrorBody {
  error: { kind: string; message: string };
}
