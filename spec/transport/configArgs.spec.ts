import { toConfigArgs, tomlValue } from "../../src/transport/configArgs.js";

describe("toConfigArgs", () => {
  it("writes nested objects as dotted keys with TOML values", () => {
    expect(
      toConfigArgs({
        model: "gpt-5.4",
        model_reasoning_effort: "high",
        model_providers: { mock: { base_url: "http://127.0.0.1:1/v1", request_max_retries: 0 } },
        features: { web_search: false },
      }),
    ).toEqual([
      "--config", 'model="gpt-5.4"',
      "--config", 'model_reasoning_effort="high"',
      "--config", 'model_providers.mock.base_url="http://127.0.0.1:1/v1"',
      "--config", "model_providers.mock.request_max_retries=0",
      "--config", "features.web_search=false",
    ]);
  });

  it("writes arrays and objects inside arrays as TOML", () => {
    expect(toConfigArgs({ sandbox_permissions: ["disk-full-read-access"], list: [{ a: 1, "b c": "x" }] })).toEqual([
      "--config", 'sandbox_permissions=["disk-full-read-access"]',
      "--config", 'list=[{ a = 1, "b c" = "x" }]',
    ]);
  });

  it("quotes keys that are not bare TOML keys and escapes strings", () => {
    expect(toConfigArgs({ "my.key": 'say "hi"\n' })).toEqual(["--config", '"my.key"="say \\"hi\\"\\n"']);
  });

  it("skips undefined values and rejects values TOML cannot hold", () => {
    expect(toConfigArgs({ a: undefined })).toEqual([]);
    expect(() => tomlValue(null)).toThrow(TypeError);
    expect(() => tomlValue(Number.NaN)).toThrow(/cannot be written as TOML/);
  });
});
