import { AwsJson1_1Protocol } from "@aws-sdk/core/protocols";

type Deserialize = AwsJson1_1Protocol["deserializeResponse"];

const decoder = new TextDecoder();

/**
 * The Tagging API's awsJson1.1 protocol with one shortcut: a successful
 * GetResources answer is `JSON.parse`d and handed on as parsed. The SDK's
 * own deserializer then walks its schema over every resource and tag to
 * build a copy of the same objects (GetResources' output has only strings,
 * booleans, lists and structures, which JSON already gives as the SDK would,
 * except that `null` members stay `null`: `toRecords` takes those as
 * absent). That walk was the largest single cost of an organisation scan
 * after the per-client ones were gone: 1.9 s of 10 s of CPU for 380,000
 * resources (`deno task bench org`, zero latency). The parsed answer is
 * checked for the shape `toRecords` reads (`checkGetResources`), so a body
 * that parses but is not a GetResources answer fails its call with the SDK's
 * "Deserialization error" (`InvalidResponse`) instead of a `TypeError` or a
 * page of zero resources. Errors and other operations take the SDK's path
 * unchanged, so AWS errors and retries stay the SDK's.
 */
export class TaggingProtocol extends AwsJson1_1Protocol {
  override async deserializeResponse<Output>(
    ...args: Parameters<Deserialize>
  ): Promise<Output> {
    const [operation, , response] = args;
    const body = response.body;
    if (
      operation.name !== "GetResources" || response.statusCode >= 300 ||
      !(body instanceof Uint8Array)
    ) {
      return await super.deserializeResponse(...args) as Output;
    }
    const parsed = JSON.parse(decoder.decode(body));
    checkGetResources(parsed);
    parsed.$metadata = this.deserializeMetadata(response);
    return parsed as Output;
  }
}

/**
 * Throws, naming the first member that is off, unless `answer` has the
 * shape of a GetResources output as far as `toRecords` and the page loop
 * read it: an object whose `PaginationToken` is a string and whose
 * `ResourceTagMappingList` is a list of objects with a string `ResourceARN`
 * and `Tags` of objects with string `Key` and `Value` (`null` or absent
 * anywhere: taken as absent). One pass of `typeof` checks, no copy.
 */
export function checkGetResources(answer: unknown): void {
  const off = (what: string, is: string) => {
    throw new Error(`GetResources answer: ${what} is not ${is}`);
  };
  if (!isObject(answer)) return off("the body", "a JSON object");
  const { PaginationToken: token, ResourceTagMappingList: list } = answer;
  if (token != null && typeof token !== "string") off("PaginationToken", "a string");
  if (list == null) return;
  if (!Array.isArray(list)) return off("ResourceTagMappingList", "a list");
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    const at = `ResourceTagMappingList[${i}]`;
    if (!isObject(m)) return off(at, "an object");
    if (m.ResourceARN != null && typeof m.ResourceARN !== "string") {
      off(`${at}.ResourceARN`, "a string");
    }
    if (m.ComplianceDetails != null && !isObject(m.ComplianceDetails)) {
      off(`${at}.ComplianceDetails`, "an object");
    }
    const tags = m.Tags;
    if (tags == null) continue;
    if (!Array.isArray(tags)) return off(`${at}.Tags`, "a list");
    for (let j = 0; j < tags.length; j++) {
      const t = tags[j];
      if (!isObject(t)) return off(`${at}.Tags[${j}]`, "an object");
      if (t.Key != null && typeof t.Key !== "string") off(`${at}.Tags[${j}].Key`, "a string");
      if (t.Value != null && typeof t.Value !== "string") off(`${at}.Tags[${j}].Value`, "a string");
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
