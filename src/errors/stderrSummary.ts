// Reading a dying server's stderr for the one line that says why: no ANSI colours, no start-up
// noise (PATH-alias and bubblewrap warnings print on every start and explain nothing).

// CSI sequences (colours, cursor moves) and OSC sequences (titles, links).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
const NOISE = /could not create PATH aliases|could not find bubblewrap|^Stack backtrace:|^\s+\d+: |^\s+at /;
/** A tracing log line: `2026-12-01T22:51:04.637359Z ERROR codex_app_server: message`. */
const LOG_LINE = /^\S+Z\s+(ERROR|WARN|INFO|DEBUG|TRACE)\s+[\w:]+:\s*(.*)$/;

/**
 * Removes ANSI escape sequences (colours, cursor moves, links) from text.
 *
 * @param text terminal output
 * @returns the plain text
 */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/**
 * The server's own explanation of why it stopped, from its stderr: an `Error: …` (or clap's
 * `error: …`) line with its continuation lines, else the last `ERROR` log message that is not
 * start-up noise; `""` when there is none.
 *
 * @param stderr the tail of the server's stderr, as written (ANSI codes and all)
 * @returns the explaining lines, plain text
 */
export function explainingLines(stderr: string): string {
  const lines = stripAnsi(stderr).split(/\r?\n/);
  const start = lines.findIndex((l) => /^(error|fatal)(\[[^\]]*\])?:/i.test(l.trim()));
  if (start >= 0) {
    const out = [lines[start]?.trim() ?? ""];
    for (const line of lines.slice(start + 1, start + 4)) {
      if (line.trim() === "" || NOISE.test(line) || /^Usage:/.test(line)) break;
      out.push(line.trim());
    }
    return out.join(" ");
  }
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = LOG_LINE.exec(lines[i]?.trim() ?? "");
    if (match?.[1] === "ERROR" && !NOISE.test(match[2] ?? "")) return match[2] ?? "";
  }
  return "";
}

/**
 * The stderr tail for a message: plain text, without start-up noise, the last `maxLines` lines.
 *
 * @param stderr the tail as written
 * @param maxLines how many lines to keep
 * @returns the lines, joined by newlines
 */
export function plainTail(stderr: string, maxLines = 10): string {
  return stripAnsi(stderr)
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "" && !NOISE.test(l))
    .slice(-maxLines)
    .join("\n");
}
