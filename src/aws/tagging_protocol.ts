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
 * resources (`deno task bench org`, zero latency). Errors, other operations
 * and bodies that are not a JSON object take the SDK's path unchanged, so
 * AWS errors, retries and "Deserialization error" stay the SDK's.
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
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return await super.deserializeResponse(...args) as Output;
    }
    parsed.$metadata = this.deserializeMetadata(response);
    return parsed as Output;
  }
}
