import { numericOperator } from "./numeric.js";

export const greaterThan = numericOperator("greaterThan");
