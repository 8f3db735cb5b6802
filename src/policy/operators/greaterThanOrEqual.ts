import { numericOperator } from "./numeric.js";

export const greaterThanOrEqual = numericOperator("greaterThanOrEqual");
