import { LineFramer } from "../../src/transport/LineFramer.js";

function frame(chunks: Buffer[]): string[] {
  const framer = new LineFramer();
  const lines: string[] = [];
  for (const c of chunks) framer.push(c, (l) => lines.push(l));
  framer.end((l) => lines.push(l));
  return lines;
}

describe("LineFramer", () => {
  it("splits one chunk holding several lines", () => {
    expect(frame([Buffer.from('{"a":1}\n{"b":2}\n')])).toEqual(['{"a":1}', '{"b":2}']);
  });

  it("joins a line split across chunks at every possible byte", () => {
    const text = '{"method":"item/agentMessage/delta","params":{"delta":"héllo ✓ 🎉"}}\n{"id":1}\n';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(frame([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(text.trim().split("\n"));
    }
  });

  it("survives a multi-byte character split between chunks", () => {
    const bytes = Buffer.from("🎉\n");
    expect(frame([bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)])).toEqual(["🎉"]);
  });

  it("frames a 1 MB line delivered in 64 KiB chunks", () => {
    const big = JSON.stringify({ method: "x", params: { blob: "z".repeat(1024 * 1024) } });
    const bytes = Buffer.from(big + "\n" + '{"id":2}\n');
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 65536) chunks.push(bytes.subarray(i, i + 65536));
    const lines = frame(chunks);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(big);
    expect(lines[1]).toBe('{"id":2}');
  });

  it("drops CR of CRLF and skips blank lines", () => {
    expect(frame([Buffer.from('{"a":1}\r\n\n  \n{"b":2}\r\n')])).toEqual(['{"a":1}', '{"b":2}']);
  });

  it("flushes an unterminated last line at end", () => {
    expect(frame([Buffer.from('{"a":1}\n{"b"'), Buffer.from(":2}")])).toEqual(['{"a":1}', '{"b":2}']);
  });

  it("reports the bytes held for an unfinished line", () => {
    const framer = new LineFramer();
    framer.push(Buffer.from("abc"), () => undefined);
    framer.push(Buffer.from("de"), () => undefined);
    expect(framer.pendingBytes).toBe(5);
    framer.push(Buffer.from("\n"), () => undefined);
    expect(framer.pendingBytes).toBe(0);
  });

  it("frames one self-contained chunk with lines(): batched lines, no trailing newline needed", () => {
    const lines: string[] = [];
    LineFramer.lines(Buffer.from('{"a":1}\r\n\n{"b":2}'), (l) => lines.push(l));
    LineFramer.lines(Buffer.from('{"c":3}'), (l) => lines.push(l));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });
});
