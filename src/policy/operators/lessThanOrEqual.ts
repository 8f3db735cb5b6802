import { numericOperator } from "./numeric.js";

export const lessThanOrEqual = numericOperator("lessThanOrEqual");
