/**
 * Which of a plan's resource kinds (a type's last word: `aws_s3_bucket` -> `bucket`) an attribute
 * name speaks of (`target_bucket` -> `bucket`), for links by value (value-links.ts).
 */

/** A node of `KindsNamed`'s automaton: the text spelled from the root. */
interface KindNode {
  readonly next: Map<number, KindNode>;
  /** The kind (its index) the node spells, or -1. */
  kind: number;
  /** The node of the longest proper suffix of the text in the trie (the root's is the root). */
  fail: KindNode;
  /** The nearest node through `fail` that spells a kind. */
  output: KindNode | undefined;
  /** The `in` call that last reported the node: each kind is reported once per name. */
  reported: number;
}

/**
 * The kinds an attribute speaks of (`target_bucket`: `bucket`), among those of the plan; once per
 * attribute name. A kind is a type's last word (`aws_s3_bucket`: `bucket`), never empty. Kinds are
 * found in a name by an Aho-Corasick automaton: a name costs its length and the kinds it holds.
 * Trying every kind on every name was quadratic (20,000 kinds x 20,000 names took 8 s).
 */
export class KindsNamed {
  private readonly memo = new Map<string, readonly string[]>();
  private readonly root: KindNode;
  private calls = 0;

  constructor(private readonly kinds: readonly string[]) {
    const root = newKindNode(undefined);
    this.root = root;
    kinds.forEach((kind, k) => {
      let node = root;
      for (let i = 0; i < kind.length; i++) {
        const c = kind.charCodeAt(i);
        let child = node.next.get(c);
        if (!child) {
          child = newKindNode(root);
          node.next.set(c, child);
        }
        node = child;
      }
      node.kind = k;
    });
    // Breadth first: a node's links need those of the nodes above it.
    const queue = [...root.next.values()];
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q] as KindNode;
      for (const [c, child] of node.next) {
        child.fail = this.step(node.fail, c);
        child.output = child.fail.kind >= 0 ? child.fail : child.fail.output;
        queue.push(child);
      }
    }
  }

  in(attr: string): readonly string[] {
    let named = this.memo.get(attr);
    if (!named) {
      const found: number[] = [];
      const call = ++this.calls;
      let node = this.root;
      for (let i = 0; i < attr.length; i++) {
        node = this.step(node, attr.charCodeAt(i));
        // Stops at a node reported already: the rest of its chain was reported with it.
        for (let o = node.kind >= 0 ? node : node.output; o && o.reported !== call; o = o.output) {
          o.reported = call;
          found.push(o.kind);
        }
      }
      // In the kinds' order, as filtering them gave.
      named = found.sort((a, b) => a - b).map((k) => this.kinds[k] as string);
      this.memo.set(attr, named);
    }
    return named;
  }

  /** The node after reading `c` in `node`: the longest suffix of the text read that is in the trie. */
  private step(node: KindNode, c: number): KindNode {
    for (let n = node; ; n = n.fail) {
      const child = n.next.get(c);
      if (child) return child;
      if (n === this.root) return n;
    }
  }
}

function newKindNode(root: KindNode | undefined): KindNode {
  const node: KindNode = {
    next: new Map(),
    kind: -1,
    fail: root as KindNode,
    output: undefined,
    reported: 0,
  };
  // The root's suffix is itself.
  if (!root) node.fail = node;
  return node;
}
