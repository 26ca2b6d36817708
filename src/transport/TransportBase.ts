import { Subject, type Observable } from "rxjs";
import { CodexError, TransportAlreadyConnectedError, type TransportClosedError, type TransportCloseInfo } from "../errors/index.js";
import { noExitStatus, transportClosedError } from "./closedError.js";
import type { Transport } from "./Transport.js";

/**
 * The one lifecycle every transport shares, so a transport only moves bytes: it owns `messages$`,
 * connects once, closes idempotently, and ends `messages$` exactly once: complete when the client
 * closed it, else error with the closing error the transport reports.
 *
 * A subclass implements `open()` (start the process or socket; called once, by the first
 * `connect()`), `shutdown()` (end it; called once, by the first `close()`), `write(message)`
 * (called by `send()` only while the transport may write) and `goneReason()`, and reports from
 * its I/O callbacks with `emit(line)` and `finish(error)`.
 *
 * ```
 * new ──connect()──▶ connecting/open ──finish(e)──▶ ended (messages$ errors with e)
 *  │                        └──close()──▶ closing ──finish()──▶ ended (messages$ completes)
 *  └──close()──▶ closing (connect() rejects)
 * ```
 */
export abstract class TransportBase implements Transport {
  private readonly subject = new Subject<string>();
  readonly messages$: Observable<string> = this.subject.asObservable();
  private started = false;
  private closeRequested = false;
  private ended = false;
  private closedPromise: Promise<void> | undefined;

  /** The last lines the server wrote to stderr; only a transport that owns a process has it. */
  stderrTail?(): string;

  /** True once the wire is gone, for whatever reason (`messages$` has ended). */
  get closed(): boolean {
    return this.ended;
  }

  /** True from the first `close()` on. */
  protected get closing(): boolean {
    return this.closeRequested;
  }

  /**
   * Starts the process or opens the socket, once.
   *
   * @returns resolves when the transport can send
   * @throws {TransportAlreadyConnectedError} on a second call
   * @throws {TransportClosedError} after `close()` (a subclass may say it more precisely)
   */
  connect(): Promise<void> {
    if (this.started) return Promise.reject(new TransportAlreadyConnectedError(this.constructor.name));
    if (this.closeRequested) return Promise.reject(this.closedBeforeConnect());
    this.started = true;
    return this.open();
  }

  /**
   * Ends the process or socket; `messages$` completes. Idempotent: every call gets the same promise.
   *
   * @returns resolves once the process or socket is really gone
   */
  close(): Promise<void> {
    if (this.closedPromise === undefined) {
      this.closeRequested = true;
      this.closedPromise = this.shutdown();
    }
    return this.closedPromise;
  }

  /**
   * Writes one message (without framing; the transport adds it).
   *
   * @param message one JSON-RPC message
   * @throws {TransportClosedError} `reason` `"closed by client"` from `close()` on, `"not connected"`
   *   before `connect()`, the transport's own reason (`"process exited"`, `"stream ended"`,
   *   `"socket closed"`, `"reconnecting"`) once the wire is gone or while it cannot be written
   */
  send(message: string): void {
    if (this.closeRequested || this.ended || !this.started) {
      throw this.closedError(this.closeRequested ? "closed by client" : this.started ? this.goneReason() : "not connected", this.exitStatus());
    }
    this.write(message);
  }

  /**
   * Writes one message to the wire; `send()` calls it only when the transport is connected, not
   * closing and not ended. It throws a {@link TransportClosedError}
   * itself when its wire cannot take it now (stdin no longer writable, socket not open).
   *
   * @param message one JSON-RPC message, without framing
   */
  protected abstract write(message: string): void;

  /** The `reason` of what `send()` throws once the wire is gone by itself (not by `close()`). */
  protected abstract goneReason(): string;

  /** The exit status `send()`'s closed errors carry; none unless the transport knows one. */
  protected exitStatus(): Pick<TransportCloseInfo, "exitCode" | "signal"> {
    return noExitStatus;
  }

  /** Starts the process or socket; called once, by the first `connect()` (not after `close()`). */
  protected abstract open(): Promise<void>;

  /** Ends the process or socket, whatever state it is in; called once, by the first `close()`. */
  protected abstract shutdown(): Promise<void>;

  /** What `connect()` after `close()` rejects with. */
  protected closedBeforeConnect(): CodexError {
    return this.closedError("closed by client");
  }

  /** Puts one incoming message on `messages$` (dropped once ended). */
  protected emit(message: string): void {
    if (!this.ended) this.subject.next(message);
  }

  /**
   * Ends `messages$`, once: it completes when the client closed the transport (or `error` is
   * undefined), else errors with `error`. Later calls do nothing.
   *
   * @param error the closing error, when the other side went away
   */
  protected finish(error?: CodexError): void {
    if (this.ended) return;
    this.ended = true;
    const failure = this.closeRequested ? undefined : error;
    this.onFinish(failure);
    if (failure === undefined) this.subject.complete();
    else this.subject.error(failure);
  }

  /**
   * Runs inside `finish()`, before `messages$` ends: a subclass's own teardown and state.
   *
   * @param failure the error `messages$` is about to end with; undefined when it completes
   */
  protected onFinish(failure: CodexError | undefined): void {
    void failure;
  }

  /**
   * A {@link TransportClosedError} of this transport (`transportClosedError`): it carries the
   * stderr tail, if this transport has one.
   *
   * @param reason why it closed
   * @param status exit code (or close code) and signal, when known
   * @param cause the underlying error
   */
  protected closedError(reason: string, status: Pick<TransportCloseInfo, "exitCode" | "signal"> = noExitStatus, cause?: unknown): TransportClosedError {
    return transportClosedError(this, reason, status, cause !== undefined ? { cause } : undefined);
  }
}
