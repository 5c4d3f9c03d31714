import { isMap, isScalar, isSeq, type Node, type Pair } from "yaml";
import type { Path } from "./document.ts";

/** A key given twice in one mapping: where the map is, the key, and both offsets. */
export interface DuplicateKey {
  readonly path: Path;
  readonly key: string;
  readonly first: number;
  readonly second: number;
}

/**
 * Finds every key given more than once in one mapping, in document order,
 * and drops the later pairs from the document, so the first one is what the
 * config is read and checked from (and its line is what errors name). The
 * YAML library's own check says only "Map keys must be unique", and costs
 * time quadratic in the map's size; this one is linear and says which key.
 * The walk uses its own stack, so deep nesting cannot overflow the call
 * stack, and does not enter a dropped pair. Aliases are not followed: the
 * key they repeat was checked where it is.
 */
export function dropDuplicateKeys(root: Node | null): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const stack: [Node | null | undefined, Path][] = [[root, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (isMap(node)) {
      const seen = new Map<string, number>();
      const children: [Node | null | undefined, Path][] = [];
      const dropped = new Set<Pair>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const value = pair.key.value;
        const id = `${typeof value}:${String(value)}`;
        const offset = pair.key.range?.[0] ?? 0;
        const first = seen.get(id);
        if (first === undefined) seen.set(id, offset);
        else {
          out.push({ path, key: String(value), first, second: offset });
          dropped.add(pair);
          continue;
        }
        children.push([pair.value as Node | null, [...path, String(value)]]);
      }
      if (dropped.size > 0) node.items = node.items.filter((p) => !dropped.has(p));
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        stack.push([node.items[i] as Node, [...path, i]]);
      }
    }
  }
  return out;
}
