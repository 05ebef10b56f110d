// A minimal Server-Sent Events reader over fetch, for tests.
export interface SseMessage {
  /** `comment` for `: ...` lines. */
  readonly event: string;
  readonly data: string;
}

export class SseReader {
  private buffer = '';
  private readonly queue: SseMessage[] = [];
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  ended = false;

  private constructor(readonly response: Response) {
    this.reader = response.body!.getReader();
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers } });
    if (!response.ok) throw new Error(`SSE open failed: ${response.status}`);
    return new SseReader(response);
  }

  /** Consumes messages in order until one matches `predicate`, and resolves with it. */
  async next(predicate: (m: SseMessage) => boolean = () => true, timeoutMs = 5000): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.queue.findIndex(predicate);
      if (index >= 0) return this.queue.splice(0, index + 1)[index]!;
      this.queue.length = 0;
      if (this.ended) throw new Error('stream ended');
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('timed out waiting for an SSE message');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), remaining);
      });
      const result = await Promise.race([this.reader.read(), timeout]);
      clearTimeout(timer);
      if (result === 'timeout') throw new Error('timed out waiting for an SSE message');
      if (result.done) {
        this.ended = true;
        continue;
      }
      this.parse(this.decoder.decode(result.value, { stream: true }));
    }
  }

  /** Resolves true once the server ends the stream. */
  async waitForEnd(timeoutMs = 5000): Promise<boolean> {
    try {
      await this.next(() => false, timeoutMs);
    } catch (error) {
      return (error as Error).message === 'stream ended';
    }
    return false;
  }

  async close(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
  }

  private parse(text: string): void {
    this.buffer += text;
    let end = this.buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.queue.push({ event: 'comment', data: line.slice(1).trim() });
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) this.queue.push({ event, data: data.join('\n') });
      end = this.buffer.indexOf('\n\n');
    }
  }
}
