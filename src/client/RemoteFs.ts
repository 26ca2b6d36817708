import { isAbsolute } from "node:path";
import { invalidInput } from "../errors/index.js";
import type { FsGetMetadataResponse, FsReadDirectoryEntry } from "../protocol/generated/index.js";
import type { RpcConnection } from "../rpc/RpcConnection.js";

/** The metadata `getMetadata` returns (times in Unix milliseconds; `createdAtMs` is 0 where the OS has none). */
export type FileMetadata = FsGetMetadataResponse;
/** One entry of `readDirectory`. */
export type DirectoryEntry = FsReadDirectoryEntry;

/**
 * The app-server machine's filesystem (`fs/*`): what a client of a remote app-server (over
 * WebSocket) needs to read and change files where the agent works. Thin typed calls: bytes in and
 * out as `Uint8Array` (the wire's base64 is codex-rx's business), absolute paths only (checked
 * before anything is sent). Errors are the server's (`JsonRpcError`; a missing file is -32603).
 * Watching is {@link Codex.watch$}.
 *
 * @example
 * ```ts
 * const text = await codex.fs.readTextFile("/repo/package.json");
 * await codex.fs.writeFile("/repo/NOTES.md", "# notes\n");
 * for (const entry of await codex.fs.readDirectory("/repo")) console.log(entry.fileName);
 * ```
 */
export class RemoteFs {
  /** @internal Made by `Codex`. */
  constructor(private readonly rpc: RpcConnection) {}

  /**
   * Reads a whole file (`fs/readFile`).
   *
   * @param path an absolute path
   * @returns its bytes
   * @throws {InvalidInputError} for a relative path (nothing is sent)
   * @throws {JsonRpcError} when the server cannot read it
   */
  async readFile(path: string): Promise<Uint8Array> {
    const { dataBase64 } = await this.rpc.request("fs/readFile", { path: absolute("fs/readFile", path) });
    return Buffer.from(dataBase64, "base64");
  }

  /**
   * Reads a whole file as UTF-8 text.
   *
   * @param path an absolute path
   * @returns its text
   * @throws {InvalidInputError} for a relative path (nothing is sent)
   * @throws {JsonRpcError} when the server cannot read it
   */
  async readTextFile(path: string): Promise<string> {
    return Buffer.from(await this.readFile(path)).toString("utf8");
  }

  /**
   * Writes a whole file (`fs/writeFile`), replacing it.
   *
   * @param path an absolute path
   * @param data text (written as UTF-8) or bytes
   * @throws {InvalidInputError} for a relative path (nothing is sent)
   * @throws {JsonRpcError} when the server cannot write it
   */
  async writeFile(path: string, data: string | Uint8Array): Promise<void> {
    await this.rpc.request("fs/writeFile", { path: absolute("fs/writeFile", path), dataBase64: Buffer.from(data).toString("base64") });
  }

  /**
   * Lists a folder (`fs/readDirectory`).
   *
   * @param path an absolute path
   * @returns its entries (name, file or folder), in the server's order
   * @throws {InvalidInputError} for a relative path (nothing is sent)
   * @throws {JsonRpcError} when the server cannot list it
   */
  async readDirectory(path: string): Promise<DirectoryEntry[]> {
    return (await this.rpc.request("fs/readDirectory", { path: absolute("fs/readDirectory", path) })).entries;
  }

  /**
   * What a path is (`fs/getMetadata`).
   *
   * @param path an absolute path
   * @returns file / folder / symlink and its times
   * @throws {InvalidInputError} for a relative path (nothing is sent)
   * @throws {JsonRpcError} when it does not exist
   */
  getMetadata(path: string): Promise<FileMetadata> {
    return this.rpc.request("fs/getMetadata", { path: absolute("fs/getMetadata", path) });
  }

  /**
   * Makes a folder (`fs/createDirectory`).
   *
   * @param path an absolute path
   * @param options `recursive` to make the missing parents too
   * @throws {InvalidInputError} for a relative path (nothing is sent)
   * @throws {JsonRpcError} when the server cannot make it
   */
  async createDirectory(path: string, options: { readonly recursive?: boolean } = {}): Promise<void> {
    await this.rpc.request("fs/createDirectory", { path: absolute("fs/createDirectory", path), ...options });
  }

  /**
   * Removes a file or folder (`fs/remove`).
   *
   * @param path an absolute path
   * @param options `recursive` for a folder with content, `force` to ignore a missing path
   * @throws {InvalidInputError} for a relative path (nothing is sent)
   * @throws {JsonRpcError} when the server cannot remove it
   */
  async remove(path: string, options: { readonly recursive?: boolean; readonly force?: boolean } = {}): Promise<void> {
    await this.rpc.request("fs/remove", { path: absolute("fs/remove", path), ...options });
  }

  /**
   * Copies a file or folder (`fs/copy`).
   *
   * @param sourcePath an absolute path
   * @param destinationPath an absolute path
   * @param options `recursive` for a folder
   * @throws {InvalidInputError} for a relative path (nothing is sent)
   * @throws {JsonRpcError} when the server cannot copy it
   */
  async copy(sourcePath: string, destinationPath: string, options: { readonly recursive?: boolean } = {}): Promise<void> {
    await this.rpc.request("fs/copy", { sourcePath: absolute("fs/copy", sourcePath, "sourcePath"), destinationPath: absolute("fs/copy", destinationPath, "destinationPath"), ...options });
  }
}

/** `path`, once it is known to be absolute (the server resolves no relative path). */
function absolute(method: string, path: string, field = "path"): string {
  if (typeof path !== "string" || !isAbsolute(path)) throw invalidInput(method, [field], `the path must be absolute, got ${JSON.stringify(path)}`);
  return path;
}
