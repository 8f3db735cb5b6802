/**
 * Assertions -> prose, for `plangate explain` and `plangate docs`. Pure.
 *
 * Two moods: `fix` says what to change ("set `x` = `y` on a linked `t`"), for the fix section of a
 * rule; `state` says what holds ("`x` = `y`"), for the `where` filter. The first branch of an `any`
 * is the preferred form (the fix stage follows it), so it is listed first and marked.
 */
import type {
  Assertion,
  AttributeAssertion,
  Parameter,
  RelatedAssertion,
  StatementMatcher,
} from "../generated/policy-pack.types.js";

/** A line of prose with nested lines (a Markdown bullet tree). */
export interface DocLine {
  readonly text: string;
  readonly children: readonly DocLine[];
}

export type Mood = "fix" | "state";

export interface DescribeContext {
  readonly params: Readonly<Record<string, Parameter>>;
  /** How to name the resource an assertion is about: "this resource", or a related one. */
  readonly self?: string;
}

const line = (text: string, children: readonly DocLine[] = []): DocLine => ({ text, children });

/** Inline code, safe for both Markdown and a terminal. */
export function code(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function literal(v: unknown): string {
  return code(typeof v === "string" ? v : JSON.stringify(v));
}

function paramRef(name: string, ctx: DescribeContext): string {
  const p = ctx.params[name];
  return p === undefined ? `parameter ${code(name)}` : `${code(name)} (default ${literal(p.default)})`;
}

/** A Value operand: a literal, `{ $param }` or `{ $subject }`. */
function operand(v: unknown, ctx: DescribeContext): string {
  if (isObject(v) && typeof v.$param === "string" && Object.keys(v).length === 1)
    return paramRef(v.$param, ctx);
  if (isObject(v) && typeof v.$subject === "string" && Object.keys(v).length === 1) {
    return `the subject's ${code(v.$subject)}`;
  }
  return literal(v);
}

function list(v: unknown, ctx: DescribeContext): string {
  if (Array.isArray(v)) return v.map((x) => literal(x)).join(", ");
  return operand(v, ctx);
}

const LENGTH_OPS: Readonly<Record<string, string>> = {
  equals: "=",
  greaterThan: ">",
  greaterThanOrEqual: "≥",
  lessThan: "<",
  lessThanOrEqual: "≤",
};

/** Operators with their negation, so `not` over one attribute reads as a plain sentence. */
const NEGATED: Readonly<Record<string, string>> = {
  equals: "notEquals",
  notEquals: "equals",
  in: "notIn",
  notIn: "in",
  exists: "absent",
  absent: "exists",
  matches: "notMatches",
  notMatches: "matches",
  greaterThan: "lessThanOrEqual",
  greaterThanOrEqual: "lessThan",
  lessThan: "greaterThanOrEqual",
  lessThanOrEqual: "greaterThan",
};

function attributeText(path: string, op: string, value: unknown, mood: Mood, ctx: DescribeContext): string {
  const p = code(path);
  const fix = mood === "fix";
  switch (op) {
    case "equals":
      return fix ? `set ${p} = ${operand(value, ctx)}` : `${p} = ${operand(value, ctx)}`;
    case "notEquals":
      return fix ? `set ${p} to anything but ${operand(value, ctx)}` : `${p} ≠ ${operand(value, ctx)}`;
    case "in":
      return fix ? `set ${p} to one of ${list(value, ctx)}` : `${p} is one of ${list(value, ctx)}`;
    case "notIn":
      return fix ? `set ${p} to none of ${list(value, ctx)}` : `${p} is none of ${list(value, ctx)}`;
    case "exists":
      return fix ? `set ${p}` : `${p} is set`;
    case "absent":
      return fix ? `remove ${p}` : `${p} is not set`;
    case "configured":
      return fix ? `set ${p} in the configuration` : `the configuration sets ${p}`;
    case "notConfigured":
      return fix ? `do not set ${p} in the configuration` : `the configuration does not set ${p}`;
    case "matches":
      return fix
        ? `set ${p} to a value matching ${code(String(value))}`
        : `${p} matches ${code(String(value))}`;
    case "notMatches":
      return fix
        ? `set ${p} to a value not matching ${code(String(value))}`
        : `${p} does not match ${code(String(value))}`;
    case "contains":
      return fix ? `add ${operand(value, ctx)} to ${p}` : `${p} contains ${operand(value, ctx)}`;
    case "notContains":
      return fix ? `remove ${operand(value, ctx)} from ${p}` : `${p} does not contain ${operand(value, ctx)}`;
    case "greaterThan":
    case "greaterThanOrEqual":
    case "lessThan":
    case "lessThanOrEqual": {
      const sym = LENGTH_OPS[op] ?? op;
      return fix ? `set ${p} ${sym} ${operand(value, ctx)}` : `${p} ${sym} ${operand(value, ctx)}`;
    }
    case "length": {
      const [lop, n] = isObject(value) ? (Object.entries(value)[0] ?? ["equals", 0]) : ["equals", 0];
      if (lop === "equals" && n === 0) return fix ? `leave ${p} empty` : `${p} is empty`;
      const sym = LENGTH_OPS[lop] ?? lop;
      return fix ? `make the length of ${p} ${sym} ${String(n)}` : `the length of ${p} ${sym} ${String(n)}`;
    }
    default:
      return `${p} ${op} ${operand(value, ctx)}`;
  }
}

function negateOp(op: string, value: unknown): [string, unknown] {
  if (op === "configured") return ["notConfigured", value];
  if (op === "contains") return ["notContains", value];
  if (op === "length" && isObject(value)) {
    const [lop, n] = Object.entries(value)[0] ?? ["equals", 0];
    const back: Record<string, string> = {
      equals: "notEquals",
      greaterThan: "lessThanOrEqual",
      greaterThanOrEqual: "lessThan",
      lessThan: "greaterThanOrEqual",
      lessThanOrEqual: "greaterThan",
    };
    if (lop === "greaterThan" && n === 0) return ["length", { equals: 0 }];
    return ["length", { [back[lop] ?? lop]: n }];
  }
  return [NEGATED[op] ?? `not ${op}`, value];
}

function attributeOp(a: AttributeAssertion): [string, unknown] {
  for (const [k, v] of Object.entries(a)) {
    if (k !== "attribute" && k !== "hint") return [k, v];
  }
  return ["exists", true];
}

function describeAttribute(
  a: AttributeAssertion,
  mood: Mood,
  negated: boolean,
  ctx: DescribeContext,
): DocLine {
  let [op, value] = attributeOp(a);
  if (negated) [op, value] = negateOp(op, value);
  const text = attributeText(a.attribute, op, value, mood, ctx);
  return line(a.hint && mood === "fix" && !negated ? `${text} — ${a.hint}` : text);
}

function matcherText(m: StatementMatcher, ctx: DescribeContext): string {
  const parts: string[] = [];
  const verb = m.effect === "Deny" ? "denies" : m.effect === "Allow" ? "allows" : "allows or denies";
  if (m.actions) parts.push(`${verb} ${m.actions.map(code).join(" or ")}`);
  else if (m.actionMatches) parts.push(`${verb} an action matching ${code(m.actionMatches)}`);
  else parts.push(`${verb} anything`);
  if (m.actions && m.actionMatches) parts.push(`with an action matching ${code(m.actionMatches)}`);
  if (m.resources) {
    const names = m.resources.map((e) =>
      typeof e === "string" ? code(e) : `the subject's ${code(`${e.$subject}${e.suffix ?? ""}`)}`,
    );
    parts.push(`on ${names.join(" or ")}`);
  }
  if (m.principals) {
    const t = m.principals.type;
    const kind =
      t === undefined ? "a principal" : t === "*" ? "everyone (`*`)" : `a principal of type ${code(t)}`;
    let text = `to ${kind}`;
    if (m.principals.values) text += ` matching ${m.principals.values.map(code).join(" or ")}`;
    if (m.principals.otherAccounts !== undefined) {
      const accounts = m.principals.otherAccounts;
      text +=
        Array.isArray(accounts) && accounts.length === 0
          ? " of any account"
          : ` of an account not in ${Array.isArray(accounts) ? list(accounts, ctx) : operand(accounts, ctx)}`;
    }
    parts.push(text);
  }
  for (const c of m.conditions ?? []) {
    const values = c.values ? ` in ${c.values.map(code).join(", ")}` : "";
    parts.push(`with condition ${c.test ? `${code(c.test)} ` : ""}${code(c.variable)}${values}`);
  }
  if (m.missingConditions) parts.push(`without a condition on ${m.missingConditions.map(code).join(" or ")}`);
  if (m.unconditional === true) parts.push("without any condition");
  if (m.unconditional === false) parts.push("with a condition");
  return parts.join(" ");
}

/** "a" or "an" before a word (resource types read letter by letter: "an `aws_...`"). */
function article(text: string): string {
  return /^[`"]?[aeiou]/i.test(text) ? "an" : "a";
}

function describeRelated(
  r: RelatedAssertion["related"],
  mood: Mood,
  negated: boolean,
  ctx: DescribeContext,
): DocLine {
  const types = (Array.isArray(r.type) ? r.type : [r.type]).map(code).join(" or ");
  const kind = r.mode === "data" ? "data source " : "";
  const self = ctx.self ?? "this resource";
  // Assertions inside `related` are about the related resource, not the subject.
  const inner: DescribeContext = { ...ctx, self: `that ${types}` };
  let where: string;
  if (r.scope === "plan") where = `${kind}${types} anywhere in the plan`;
  else if (r.direction === "out") {
    where = `${kind}${types} ${self} refers to${r.via ? ` through ${code(r.via)}` : ""}`;
  } else if (r.direction === "in") {
    const ref = r.refAttribute ?? "id";
    where = `${kind}${types} linked to ${self}${r.via ? ` (${code(`${r.via} = <this>.${ref}`)})` : ""}`;
  } else where = `${kind}${types} linked to ${self}${r.via ? ` through ${code(r.via)}` : ""}`;
  const filter = r.where
    ? [line("counting only those where:", describeAssertion(r.where, "state", inner))]
    : [];
  const required = r.require ? describeAssertion(r.require, mood, inner) : [];
  const max = r.count?.max;
  const min = r.count?.min ?? 1;
  // "at most 0" and "not (at least 1)" both forbid the companion.
  if (max === 0 || (negated && min === 1 && max === undefined)) {
    const conditions = [
      ...(r.where ? describeAssertion(r.where, "state", inner) : []),
      ...(r.require ? describeAssertion(r.require, "state", inner) : []),
    ];
    const suffix = conditions.length > 0 ? " where:" : "";
    return mood === "fix"
      ? line(`remove every ${where}${suffix}`, conditions)
      : line(`there is no ${where}${suffix}`, conditions);
  }
  if (negated) return line(`it is not the case that ${min} or more ${where} exist`, [...filter, ...required]);
  const count = min > 1 || max !== undefined ? ` (${min}${max !== undefined ? `–${max}` : " or more"})` : "";
  if (mood === "state") {
    const conditions = [
      ...(r.where ? describeAssertion(r.where, "state", inner) : []),
      ...(r.require ? describeAssertion(r.require, "state", inner) : []),
    ];
    return line(
      `there is ${article(where)} ${where}${count}${conditions.length > 0 ? " where:" : ""}`,
      conditions,
    );
  }
  // One plain instruction reads inline ("set x on a linked y"); a nested `related` would not.
  const nested = r.require !== undefined && "related" in r.require;
  if (!nested && required.length === 1 && required[0]?.children.length === 0 && filter.length === 0) {
    return line(`${required[0].text} on ${article(where)} ${where}${count}`);
  }
  if (required.length === 0) return line(`add ${article(where)} ${where}${count}`, filter);
  return line(`on ${article(where)} ${where}${count}:`, [...filter, ...required]);
}

/** "`policy` has (no) statement that ...", or what to change so that it does (not). */
function statementLine(
  path: string,
  m: StatementMatcher,
  some: boolean,
  mood: Mood,
  ctx: DescribeContext,
): DocLine {
  const attr = code(path);
  const text = matcherText(m, ctx);
  if (mood === "fix") {
    return line(
      some
        ? `add a statement to ${attr} that ${text}`
        : `remove or narrow every statement of ${attr} that ${text}`,
    );
  }
  return line(some ? `${attr} has a statement that ${text}` : `${attr} has no statement that ${text}`);
}

/** Describe one assertion as a list of lines (an `all` flattens into its parts). */
export function describeAssertion(
  a: Assertion,
  mood: Mood,
  ctx: DescribeContext,
  negated = false,
): DocLine[] {
  if ("attribute" in a) return [describeAttribute(a, mood, negated, ctx)];
  if ("all" in a) {
    if (!negated) return a.all.flatMap((x) => describeAssertion(x, mood, ctx));
    return [
      line(
        "at least one of these does not hold:",
        a.all.flatMap((x) => describeAssertion(x, "state", ctx)),
      ),
    ];
  }
  if ("any" in a) {
    if (negated) return a.any.flatMap((x) => describeAssertion(x, mood, ctx, true));
    if (a.any.length === 1) return describeAssertion(a.any[0], mood, ctx);
    const alternatives = a.any.map((x, i) => {
      const parts = describeAssertion(x, mood, ctx);
      const label = i === 0 ? (mood === "fix" ? "preferred:" : "either:") : "or:";
      const only = parts.length === 1 ? parts[0] : undefined;
      return only ? line(`${label} ${only.text}`, only.children) : line(label, parts);
    });
    return [line(mood === "fix" ? "one of (the fix follows the first):" : "one of:", alternatives)];
  }
  if ("not" in a) return describeAssertion(a.not, mood, ctx, !negated);
  if ("each" in a) {
    const inner = describeAssertion(a.require, mood, ctx, negated);
    const head = negated ? `for some element of ${code(a.each)}` : `for every element of ${code(a.each)}`;
    return [line(`${head}:`, inner)];
  }
  if ("some" in a) {
    if (negated)
      return [line(`for every element of ${code(a.some)}:`, describeAssertion(a.require, mood, ctx, true))];
    return [line(`for at least one element of ${code(a.some)}:`, describeAssertion(a.require, mood, ctx))];
  }
  if ("none" in a) {
    if (negated)
      return [line(`for at least one element of ${code(a.none)}:`, describeAssertion(a.require, mood, ctx))];
    return [line(`for every element of ${code(a.none)}:`, describeAssertion(a.require, mood, ctx, true))];
  }
  if ("related" in a) return [describeRelated(a.related, mood, negated, ctx)];
  if ("policyDocument" in a) {
    const d = a.policyDocument;
    // `require` holds when some statement matches, `forbid` when none does; `not` swaps them.
    return [
      ...(d.require ? [statementLine(d.attribute, d.require, !negated, mood, ctx)] : []),
      ...(d.forbid ? [statementLine(d.attribute, d.forbid, negated, mood, ctx)] : []),
    ];
  }
  if ("forbidden" in a) {
    const self = ctx.self ?? "this resource";
    if (negated) return [line(`${self} may exist`)];
    return [
      line(mood === "fix" ? `delete ${self} (${a.forbidden})` : `${self} does not exist (${a.forbidden})`),
    ];
  }
  return [line(JSON.stringify(a))];
}

/** Parameter names an assertion (or any pack fragment) reads, in first-seen order. */
export function paramsUsed(fragment: unknown): string[] {
  const seen = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === "string") {
      for (const m of v.matchAll(/\$\{param\.([A-Za-z_][A-Za-z0-9_]*)\}/g)) if (m[1]) seen.add(m[1]);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      if (typeof v.$param === "string") seen.add(v.$param);
      Object.values(v).forEach(walk);
    }
  };
  walk(fragment);
  return [...seen];
}
