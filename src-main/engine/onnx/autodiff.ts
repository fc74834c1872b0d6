// Reverse-mode differentiation over the graph: walks the nodes that lead to `loss` backwards,
// applies each op's gradient rule from the op table, reduces broadcast gradients back to the
// input's shape (the one place this happens) and sums contributions.
import { GraphBuilder, sameShape, type Shape, type TNode } from './graph';
import { OPS } from './ops';

export function gradients(b: GraphBuilder, loss: TNode, wrt: readonly TNode[]): TNode[] {
  if (loss.shape.length !== 0) throw new Error(`the loss must be a scalar, got shape [${loss.shape}]`);
  const order = topologicalOrder([loss]);
  const grads = new Map<number, TNode>([[loss.id, b.scalar(1)]]);
  for (let i = order.length - 1; i >= 0; i--) {
    const y = order[i];
    const g = grads.get(y.id);
    if (!g || !y.needsGrad || y.inputs.length === 0) continue;
    const gy = sameShape(g.shape, y.shape) ? g : b.expand(g, y.shape);
    const inputGrads = OPS[y.op].grad(b, y, gy);
    y.inputs.forEach((x, k) => {
      const gx = inputGrads[k];
      if (!gx || !x.needsGrad) return;
      const reduced = unbroadcast(b, gx, x.shape);
      const prev = grads.get(x.id);
      grads.set(x.id, prev ? b.add(prev, reduced) : reduced);
    });
  }
  return wrt.map((w) => {
    const g = grads.get(w.id);
    if (g) return sameShape(g.shape, w.shape) ? g : b.expand(g, w.shape);
    // not on any path to the loss: its gradient is zero
    return b.expand(b.scalar(0), w.shape);
  });
}

/** Sums `g` over the axes along which a value of shape `shape` was broadcast. */
function unbroadcast(b: GraphBuilder, g: TNode, shape: Shape): TNode {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.shape.length - shape.length;
  const axes: number[] = [];
  g.shape.forEach((d, i) => {
    if (i < lead || (shape[i - lead] === 1 && d !== 1)) axes.push(i);
  });
  const summed = b.sum(g, axes, true);
  return sameShape(summed.shape, shape) ? summed : b.reshape(summed, shape);
}

/** Nodes reachable from `roots`, every node after its inputs. */
export function topologicalOrder(roots: readonly TNode[]): TNode[] {
  const seen = new Set<number>();
  const order: TNode[] = [];
  const stack: [TNode, number][] = roots.map((r) => [r, 0]);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [node, next] = top;
    if (next === 0 && seen.has(node.id)) {
      stack.pop();
      continue;
    }
    seen.add(node.id);
    if (next < node.inputs.length) {
      top[1] = next + 1;
      const child = node.inputs[next];
      if (!seen.has(child.id)) stack.push([child, 0]);
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order;
}
