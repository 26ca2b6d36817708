/**
 * Splits a byte stream into newline-delimited lines. Lines may arrive split across any number of
 * chunks (even inside a multi-byte UTF-8 character) and may be huge: partial chunks are kept as
 * buffers and joined once, at the newline, so a 1 MB line costs O(size), not O(size × chunks).
 * Splitting on the byte 0x0A is UTF-8 safe: it never occurs inside a multi-byte sequence.
 *
 * @example
 * ```ts
 * const framer = new LineFramer();
 * framer.push(Buffer.from('{"a":1}\n{"b"'), (line) => console.log(line)); // logs {"a":1}
 * framer.push(Buffer.from(':2}\n'), (line) => console.log(line));          // logs {"b":2}
 * ```
 */
export class LineFramer {
  private parts: Buffer[] = [];

  /**
   * Feeds one chunk; calls `onLine` for every complete line in it (a trailing `\r` is dropped,
   * blank lines are skipped).
   *
   * @param chunk bytes as they came off the wire
   * @param onLine called synchronously, in order, once per line
   */
  push(chunk: Buffer, onLine: (line: string) => void): void {
    let start = 0;
    let newline = chunk.indexOf(0x0a, start);
    while (newline !== -1) {
      let line: string;
      if (this.parts.length > 0) {
        this.parts.push(chunk.subarray(start, newline));
        line = Buffer.concat(this.parts).toString("utf8");
        this.parts = [];
      } else {
        line = chunk.toString("utf8", start, newline);
      }
      emit(line, onLine);
      start = newline + 1;
      newline = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) this.parts.push(chunk.subarray(start));
  }

  /**
   * Flushes a last line that had no newline (the stream ended).
   *
   * @param onLine called once if there was an unterminated line
   */
  end(onLine: (line: string) => void): void {
    if (this.parts.length === 0) return;
    const line = this.parts.length === 1 ? (this.parts[0] as Buffer).toString("utf8") : Buffer.concat(this.parts).toString("utf8");
    this.parts = [];
    emit(line, onLine);
  }

  /**
   * Frames one self-contained chunk (a WebSocket frame): every line in it, the last one with or
   * without a trailing newline, by the same rules as {@link LineFramer.push}.
   *
   * @param chunk a whole message, possibly several newline-separated ones
   * @param onLine called once per line
   */
  static lines(chunk: Buffer, onLine: (line: string) => void): void {
    const framer = new LineFramer();
    framer.push(chunk, onLine);
    framer.end(onLine);
  }

  /** Bytes held for a line not yet terminated. */
  get pendingBytes(): number {
    let n = 0;
    for (const p of this.parts) n += p.length;
    return n;
  }
}

function emit(raw: string, onLine: (line: string) => void): void {
  const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  if (line.trim() !== "") onLine(line);
}
