/**
 * The app: `npm run synth` (or `cdktf synth`) synthesizes the stack into cdktf.out/, and plangate's
 * validation fails the synth when a pack finds a blocking failure.
 */
import { App } from "cdktf";
// In your app: `import { addPlangateValidation } from "plangate/cdktf";`. This example sits inside
// the plangate repository and uses the build of it (`npm run build` at the root) instead.
import { addPlangateValidation } from "../../../dist/cdktf/index.js";
import { ReportsStack } from "./stack.js";

const app = new App();
const stack = new ReportsStack(app, "reports", { insecure: process.env.INSECURE === "1" });
await addPlangateValidation(stack, { packs: ["aws-s3", "aws-iam", "aws-backup"] });
app.synth();
