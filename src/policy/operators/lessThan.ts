import { numericOperator } from "./numeric.js";

export const lessThan = numericOperator("lessThan");
