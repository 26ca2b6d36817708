/**
 * Jest's `toEqual` compares Errors by message only. This turns every Error inside `value` into a
 * plain object (class name, message, own fields, cause) so marble assertions check all of them.
 */
export function errorFields(value: unknown): unknown {
  if (value instanceof Error) {
    const fields: Record<string, unknown> = { class: value.constructor.name, message: value.message };
    for (const [key, field] of Object.entries(value)) fields[key] = errorFields(field);
    if (value.cause !== undefined) fields["cause"] = errorFields(value.cause);
    return fields;
  }
  if (Array.isArray(value)) return value.map(errorFields);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, errorFields(field)]));
  }
  return value;
}
