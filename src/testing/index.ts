/**
 * `codex-rx/testing`: a scripted fake OpenAI Responses API server and a CODEX_HOME that
 * points the real `codex app-server` at it; an in-memory fake app-server (no binary, virtual
 * time); builders of the protocol's notifications; recorded transcripts.
 *
 * @module codex-rx/testing
 */
export { startFakeResponses, echoResponder } from "./fakeResponses.js";
export type { FakeResponses, FakeResponsesOptions, Responder } from "./fakeResponses.js";
export { reply } from "./reply.js";
export { output } from "./output.js";
export { lastUserText, renderStreamReply } from "./renderReply.js";
export type {
  FakeReply,
  StreamReply,
  HttpReply,
  RawReply,
  StreamEnding,
  ReplyOutput,
  RenderedOutput,
  ReplyContext,
  StreamStep,
  MessageOptions,
  MessagePhase,
  StreamOptions,
  TextReplyOptions,
  FunctionCallOptions,
  TokenUsage,
  ResponsesRequestBody,
  ResponsesStreamEvent,
  JsonObject,
  JsonValue,
} from "./replyTypes.js";
export { codexHomeFor, codexConfigFor, toToml } from "./codexHome.js";
export type { CodexHome, CodexHomeOptions, TomlTable, TomlValue } from "./codexHome.js";
export { startWebSocketAppServer, freePort } from "./webSocketAppServer.js";
export type { WebSocketAppServer, WebSocketAppServerOptions } from "./webSocketAppServer.js";
export {
  turnEvents,
  turnStarted,
  turnCompleted,
  itemStarted,
  itemCompleted,
  agentMessage,
  userMessage,
  delta,
  tokenUsage,
  statusChanged,
  warning,
  errorNotification,
  serverRequestResolved,
  commandExecution,
  toMarbles,
  type TurnEventsOptions,
} from "./builders.js";
export { dynamicToolCall, type DynamicToolCallFields } from "./toolCallBuilders.js";
export { transcript$, transcriptNotifications, type TranscriptOptions } from "./transcript.js";
export { fakeAppServer } from "./fakeAppServer.js";
export type { FakeAppServer, FakeAppServerOptions, FakeClientRequest, FakeServerRequestAnswer, FakeMethodReply } from "./fakeAppServerApi.js";
export { echoTurn, turnStep } from "./fakeTurn.js";
export type { FakeTurn, FakeTurnStep, FakeTurnContext, FakeTurnResponder } from "./fakeTurn.js";
export type { FakeAnswerBody } from "./fakeTurnRun.js";
export type { FakeCommand, FakeCommandResponder, FakeOutput, FakeProcess } from "./fakeCommands.js";
export type { FakeReviewResponder } from "./fakeReview.js";
export { advanceVirtualTime } from "./virtualTime.js";
export { threadGoal, goalUpdated, goalCleared } from "./goalBuilders.js";
