import { of, lastValueFrom } from "rxjs";
describe("toolchain", () => {
  it("runs ESM TypeScript specs", async () => {
    await expect(lastValueFrom(of(1, 2))).resolves.toBe(2);
  });
});
