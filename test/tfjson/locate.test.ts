import { describe, expect, it } from "vitest";
import { locateTerraformJsonBlocks } from "../../src/plan/tfjson-locate.js";
import { readTerraformJsonInput, terraformJsonLocation } from "../../src/plan/tfjson-read.js";

describe("locateTerraformJsonBlocks", () => {
  it("finds resource and data blocks in pretty-printed and list forms", () => {
    const text = `{
  "resource": {
    "aws_s3_bucket": {
      "a": {
        "bucket": "a \\" } ["
      },
      "b": { "bucket": "b", "tags": { "x": "y" } }
    },
    "aws_s3_bucket_versioning": {
      "a": {
        "versioning_configuration": [{ "status": "Enabled" }]
      }
    }
  },
  "data": [
    { "aws_iam_policy_document": { "d": { "statement": [] } } }
  ]
}
`;
    const locs = locateTerraformJsonBlocks(text);
    expect(Object.fromEntries(locs)).toEqual({
      "aws_s3_bucket.a": { line: 4, column: 7, endLine: 6 },
      "aws_s3_bucket.b": { line: 7, column: 7, endLine: 7 },
      "aws_s3_bucket_versioning.a": { line: 10, column: 7, endLine: 12 },
      "data.aws_iam_policy_document.d": { line: 16, column: 36, endLine: 16 },
    });
  });

  it("finds blocks in minified JSON on one line", () => {
    const locs = locateTerraformJsonBlocks('{"resource":{"aws_s3_bucket":{"a":{},"b":{"x":[1,{"y":2}]}}}}');
    expect(locs.get("aws_s3_bucket.b")).toEqual({ line: 1, column: 38, endLine: 1 });
    expect(locs.get("aws_s3_bucket.a")).toEqual({ line: 1, column: 31, endLine: 1 });
  });
});

describe("terraformJsonLocation", () => {
  it("gives the file and lines of each resource of a configuration model, modules included", async () => {
    const model = await readTerraformJsonInput(new URL("../fixtures/tfjson/dir", import.meta.url).pathname);
    expect(terraformJsonLocation(model, "aws_kms_key.data")).toEqual({
      file: "test/fixtures/tfjson/dir/main.tf.json",
      line: 5,
      column: 22,
      endLine: 5,
    });
    expect(
      terraformJsonLocation(model, "module.store.aws_s3_bucket_server_side_encryption_configuration.this"),
    ).toEqual({
      file: "test/fixtures/tfjson/dir/modules/store/main.tf.json",
      line: 6,
      column: 7,
      endLine: 17,
    });
    expect(terraformJsonLocation(model, "aws_s3_bucket.nope")).toBeUndefined();
  });
});
