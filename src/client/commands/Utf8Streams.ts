import type { CommandExecOutputDeltaNotification } from "../../protocol/generated/index.js";
import type { ExecChunk } from "./ExecOptions.js";

/**
 * @internal The UTF-8 decoding of a command's two output streams: one streaming `TextDecoder`
 * per stream, so a character whose bytes are split between two `outputDelta`s is decoded whole,
 * in the later chunk. Malformed bytes become U+FFFD, as in `Buffer#toString`.
 */
export class Utf8Streams {
  private readonly decoders = { stdout: new TextDecoder("utf-8"), stderr: new TextDecoder("utf-8") };

  /**
   * One `command/exec/outputDelta` as a chunk.
   *
   * @param delta the notification's params
   * @returns the chunk, its text decoded after the stream's earlier bytes
   */
  chunk(delta: CommandExecOutputDeltaNotification): ExecChunk {
    const bytes = Buffer.from(delta.deltaBase64, "base64");
    const text = this.decoders[delta.stream].decode(bytes, { stream: true });
    return { stream: delta.stream, text, bytes, capReached: delta.capReached };
  }

  /**
   * The streams have ended: what a decoder still holds (the start of a character the output
   * ended in the middle of) as a last chunk of no bytes, text U+FFFD.
   *
   * @returns zero, one or two chunks
   */
  flush(): ExecChunk[] {
    const rest: ExecChunk[] = [];
    for (const stream of ["stdout", "stderr"] as const) {
      const text = this.decoders[stream].decode();
      if (text !== "") rest.push({ stream, text, bytes: new Uint8Array(0), capReached: false });
    }
    return rest;
  }
}
